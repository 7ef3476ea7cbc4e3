using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.GetSession;

/// <summary>
/// Get Session: templates is a list of single-key objects keyed by template id, and ?template_id= filters it (seed,
/// ekascribe); the community draft makes it a map keyed by template id (msa-draft, CF-01).
/// </summary>
public static class GetSessionTemplates
{
    private const string Seed = "seed: Get Session › 200 Completed (templates) and OpenAPI SessionCompletedResponse.templates";

    /// <summary>200 completed and 206 partial answers: the ones that carry template results.</summary>
    internal static List<Exchange> ResultBodies(Observations o, Scenario producer)
    {
        var found = Rules.SessionBodies(o).Select(b => b.X)
            .Where(x => (x.Status == 200 && x.BodyStatus == "completed") || (x.Status == 206 && x.BodyStatus == "partial")).ToList();
        return found.Count > 0 ? found : throw o.All.First(r => r.Scenario == producer).Unreached("no 200 completed or 206 partial answer was observed");
    }

    /// <summary>The template results of each body as single-key objects: the list's elements, or a map's entries one by one.</summary>
    internal static IEnumerable<(Exchange X, JsonObject Entry)> Entries(IEnumerable<Exchange> bodies) =>
        bodies.SelectMany(x => x.JsonObject?["templates"] switch
        {
            JsonArray list => list.OfType<JsonObject>().Select(e => (x, e)),
            JsonObject map => map.Select(p => (x, new JsonObject { [p.Key] = p.Value?.DeepClone() })),
            _ => [],
        });

    public static readonly Check IsList = new(
        "get-session.templates.is-list", "templates in completed and partial answers is a JSON list",
        new("TPL-01"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in ResultBodies(o, Scenario.Completed))
                v.When(x.JsonObject?["templates"] is not JsonArray, x,
                    () => $"Expected: templates as a list of single-key objects ([{{\"<template_id>\": {{…}}}}, …])\nReceived: {x.JsonObject?["templates"]?.GetValueKind().ToString().ToLowerInvariant() ?? "no templates field"}"
                        + (x.JsonObject?["templates"] is JsonObject ? " (a map keyed by template id: the community-draft shape, not the seed's)" : ""));
            return v.Result();
        });

    public static readonly Check SingleKeyEntries = new(
        "get-session.templates.single-key-entries", "Each templates element is an object with exactly one key, a template id",
        new("TPL-02"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in ResultBodies(o, Scenario.Completed).Where(x => x.JsonObject?["templates"] is JsonArray))
                foreach (var element in (JsonArray)x.JsonObject!["templates"]!)
                    v.When(element is not JsonObject e || e.Count != 1 || e.First().Value is not JsonObject, x,
                        () => $"Expected: an element like {{\"<template_id>\": {{…}}}}\nReceived: {Truncate(Rules.Show(element))}");
            return v.Result();
        });

    public static readonly Check EntryFields = new(
        "get-session.templates.entry-fields", "Each template result carries status, data, document_id and publish",
        new("TPL-05"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (x, e) in Entries(ResultBodies(o, Scenario.Completed)).Where(p => p.Entry.Count == 1 && p.Entry.First().Value is JsonObject))
            {
                var (id, inner) = (e.First().Key, e.First().Value!);
                var errors = SchemaValidator.Validate("template-entry.json", inner.ToJsonString());
                v.When(errors.Count > 0, x, () => $"Expected: the result for '{id}' valid against schemas/template-entry.json\nReceived: {string.Join("; ", errors)}");
            }
            return v.Result();
        }) { AlsoCites = ["TPL-07"] };

    public static readonly Check CompletedAllSuccess = new(
        "get-session.templates.completed-all-success", "In a completed session every template result has status success",
        new("TPL-09"), Scenario.Completed, o =>
        {
            var t = o.Run.RequireTerminal();
            if (t.Status != 200 || t.BodyStatus != "completed") throw o.Run.Unreached($"the session ended {t.Status} '{t.BodyStatus}', not 200 completed");
            var v = new Violations();
            // A result without a status string is TPL-05's finding: only the statuses that are there are judged.
            foreach (var (x, e) in Entries([t]).Where(p => p.Entry.Count >= 1 && Rules.TextOf(p.Entry.First().Value?["status"]) is not null))
                v.When(Rules.TextOf(e.First().Value?["status"]) != "success", x,
                    () => $"Expected: status \"success\" for '{e.First().Key}' in a completed session (a failed template makes it 206 partial)\nReceived: {Rules.Show(e.First().Value?["status"])}");
            return v.Result();
        });

    public static readonly Check EveryRequestedPresent = new(
        "get-session.templates.every-requested-present", "Every template requested at Create appears in the completed result",
        new("TPL-14"), Scenario.Completed, o =>
        {
            var t = o.Run.RequireTerminal();
            if (t.Status != 200 || t.BodyStatus != "completed") throw o.Run.Unreached($"the session ended {t.Status} '{t.BodyStatus}', not 200 completed");
            var keys = Entries([t]).SelectMany(p => p.Entry.Select(k => k.Key)).ToHashSet();
            var missing = o.Run.RequestedTemplates.Where(id => !keys.Contains(id)).ToList();
            return new Violations().When(missing.Count > 0, t,
                () => $"Expected: entries for every requested template ({string.Join(", ", o.Run.RequestedTemplates)})\nReceived: none for {string.Join(", ", missing)}").Result();
        });

    public static readonly Check FilterReturnsOnlyThatId = new(
        "get-session.templates.filter-only-that-id", "GET ?template_id=X returns only the templates entries keyed by X",
        new("TPL-FLT-01"), Scenario.Completed, o =>
        {
            var v = new Violations();
            foreach (var (id, x) in Filtered(o.Run))
            {
                // An element keyed by X that has other keys too is TPL-02's finding; an element without X is this row's.
                var others = Entries([x]).Where(p => !p.Entry.ContainsKey(id)).SelectMany(p => p.Entry.Select(k => k.Key)).ToList();
                v.When(others.Count > 0, x, () => $"Expected: only entries keyed by '{id}'\nReceived: also entries keyed [{string.Join(", ", others)}]");
            }
            return v.Result();
        });

    public static readonly Check FilterKeepsEveryEntry = new(
        "get-session.templates.filter-keeps-all-entries", "The filtered list keeps every entry for X that the unfiltered answer has",
        new("TPL-FLT-02"), Scenario.Completed, o =>
        {
            var v = new Violations();
            var all = Entries([o.Run.RequireTerminal()]).ToList();
            foreach (var (id, x) in Filtered(o.Run))
            {
                var want = DocumentIds(all.Where(p => p.Entry.ContainsKey(id)));
                var got = DocumentIds(Entries([x]).Where(p => p.Entry.ContainsKey(id)));
                v.When(!want.SequenceEqual(got), x, () => $"Expected: {want.Count} entr(ies) for '{id}' with document_ids [{string.Join(", ", want)}]\nReceived: {got.Count}: [{string.Join(", ", got)}]");
            }
            return v.Result();
        });

    private static readonly string[] ResultStatuses = ["success", "failed", "processing"];

    public static readonly Check IsMap = new(
        "get-session.templates.is-map", "templates in completed and partial answers is an object keyed by template id, each result with status success, failed or processing",
        new("TPL-10"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in ResultBodies(o, Scenario.Completed))
            {
                var templates = x.JsonObject?["templates"];
                v.When(templates is not JsonObject, x,
                    () => $"Expected: templates as an object keyed by template id ({{\"<template_id>\": {{\"status\": …}}}})\nReceived: "
                        + (templates is JsonArray ? "a list (the EkaScribe shape, not the community draft's)" : templates?.GetValueKind().ToString().ToLowerInvariant() ?? "no templates field"));
                foreach (var (id, result) in templates as JsonObject ?? [])
                    v.When(result is not JsonObject r || !ResultStatuses.Contains(Rules.TextOf(r["status"])), x,
                        () => $"Expected: templates[\"{id}\"] an object whose status is success, failed or processing\nReceived: {Truncate(Rules.Show(result))}");
            }
            return v.Result();
        });

    public static IReadOnlyList<Check> All =>
        [IsList, SingleKeyEntries, EntryFields, IsMap, CompletedAllSuccess, EveryRequestedPresent, FilterReturnsOnlyThatId, FilterKeepsEveryEntry];

    /// <summary>
    /// The filtered GETs that answered with a result list. One that answered 202 again, or a templates that is not a
    /// list, is another row's finding (GET-PAIR-14, TPL-01), so it is left out here.
    /// </summary>
    private static Dictionary<string, Exchange> Filtered(ScenarioRun run)
    {
        var t = run.RequireTerminal();
        if (run.Filtered.Count == 0) throw run.Unreached($"the session ended {t.Status}, so no filtered GET was made");
        var results = run.Filtered.Where(f => f.Value.Status is 200 or 206 && f.Value.JsonObject?["templates"] is JsonArray).ToDictionary();
        return results.Count > 0 ? results : throw new NotReached(Verdict.Inconclusive,
            $"no filtered GET answered with a templates list ({string.Join(", ", run.Filtered.Values.Select(x => x.Summary()))}; see GET-PAIR-14, TPL-01)");
    }

    private static List<string> DocumentIds(IEnumerable<(Exchange X, JsonObject Entry)> entries) =>
        entries.Select(p => p.Entry.First().Value?["document_id"]?.ToString() ?? "?").Order().ToList();

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
