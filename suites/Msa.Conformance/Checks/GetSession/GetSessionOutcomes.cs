using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.GetSession;

/// <summary>Get Session: which template results a session reports, and what a requested-but-unknown template does to it.</summary>
public static class GetSessionOutcomes
{
    /// <summary>The scenarios that create a session with <see cref="ScenarioRun.RequestedTemplates"/> and drive it to its result.</summary>
    private static readonly Scenario[] Processed = [Scenario.Completed, Scenario.Partial, Scenario.Failed];

    /// <summary>Unfiltered result bodies (200 completed, 206 partial) of the processed sessions, with their run.</summary>
    private static List<(ScenarioRun Run, Exchange X)> Results(Observations o)
    {
        var bodies = GetSessionTemplates.ResultBodies(o, Scenario.Completed).ToHashSet();
        return o.All.Where(r => Processed.Contains(r.Scenario))
            .SelectMany(r => r.SessionGets.Where(x => bodies.Contains(x) && !r.Filtered.ContainsValue(x)).Select(x => (r, x))).ToList();
    }

    /// <summary>(template id, result object) of one body, whether templates is a list of single-key objects or a map.</summary>
    private static List<(string Id, JsonObject? Result)> Outcomes(Exchange x) =>
        GetSessionTemplates.Entries([x]).SelectMany(p => p.Entry.Select(e => (e.Key, e.Value as JsonObject))).ToList();

    private static bool Succeeded(JsonObject? result) => Rules.TextOf(result?["status"]) == "success";

    /// <summary>The result says how it went: a status string is there (a result without one is TPL-05's finding).</summary>
    private static bool HasStatus(JsonObject? result) => Rules.TextOf(result?["status"]) is not null;

    /// <summary>Ids among `ids` with no result that says success, less those whose result has no status at all (noted in `unreadable`).</summary>
    private static List<string> WithoutSuccess(IEnumerable<string> ids, List<(string Id, JsonObject? Result)> outcomes, ISet<string> unreadable)
    {
        var missing = new List<string>();
        foreach (var id in ids)
        {
            var results = outcomes.Where(p => p.Id == id).ToList();
            if (results.Any(p => Succeeded(p.Result))) continue;
            if (results.Count > 0 && results.All(p => !HasStatus(p.Result))) unreadable.Add(id);
            else missing.Add(id);
        }
        return missing;
    }

    private static string? UnreadableNote(ISet<string> unreadable) => unreadable.Count == 0 ? null
        : $"Not judged: the result for {string.Join(", ", unreadable)} has no status (see TPL-05).";

    public static readonly Check CompletedMeansAllGenerated = new(
        "get-session.outcomes.completed-means-all-generated", "A session reported 200 completed has a successful result for every template requested",
        new("GET-PAIR-18"), Scenario.All, o =>
        {
            var completed = Results(o).Where(b => b.X.Status == 200 && b.X.BodyStatus == "completed").ToList();
            if (completed.Count == 0) throw o.All.First(r => r.Scenario == Scenario.Completed).Unreached("no 200 completed answer was observed");
            var v = new Violations();
            var unreadable = new SortedSet<string>();
            foreach (var (r, x) in completed)
            {
                var missing = WithoutSuccess(r.RequestedTemplates, Outcomes(x), unreadable);
                v.When(missing.Count > 0, x, () => $"Expected: a success result for every requested template ({string.Join(", ", r.RequestedTemplates)}); otherwise the session is 206 partial\nReceived: none for {string.Join(", ", missing)}");
            }
            return v.Result(UnreadableNote(unreadable));
        });

    public static readonly Check OnlyRequestedTemplates = new(
        "get-session.outcomes.only-requested-templates", "templates carries results only for template ids requested at creation",
        new("TPL-03"), Scenario.All, o =>
        {
            var v = new Violations();
            // In an element with several keys, the ones beside a requested id are TPL-02's finding, not template ids.
            foreach (var (r, x) in Results(o))
                foreach (var (id, _) in GetSessionTemplates.Entries([x]).Where(p => p.Entry.Count == 1 || !p.Entry.Any(k => r.RequestedTemplates.Contains(k.Key)))
                             .SelectMany(p => p.Entry.Select(e => (e.Key, e.Value))).DistinctBy(p => p.Key))
                    v.When(!r.RequestedTemplates.Contains(id), x, () => $"Expected: only requested template ids ({string.Join(", ", r.RequestedTemplates)}) as keys\nReceived: a result keyed by '{id}'");
            return v.Result();
        });

    public static readonly Check SuccessDataIsObject = new(
        "get-session.outcomes.success-data-object", "A successful template result has data that is an object or a list of objects",
        new("TPL-11"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (_, x) in Results(o))
                foreach (var (id, result) in Outcomes(x).Where(p => Succeeded(p.Result)))
                    v.When(result!["data"] is not (JsonObject or JsonArray) || result["data"] is JsonArray list && list.Any(d => d is not JsonObject), x,
                        () => $"Expected: data of the success result for '{id}' as an object or a list of objects\nReceived: {Rules.Show(result["data"])[..Math.Min(200, Rules.Show(result["data"]).Length)]}");
            return v.Result();
        });

    public static readonly Check ValidTemplatesStillProduced = new(
        "get-session.outcomes.valid-templates-survive-unknown", "A session that also asked for an unknown template still produces its valid templates",
        new("TPL-16"), Scenario.Partial, o =>
        {
            var t = o.Run.RequireTerminal();
            if (t.Status is not (200 or 206)) throw o.Run.Unreached($"the session ended {t.Summary()}, with no template results");
            var valid = o.Options.Templates[0];
            var unreadable = new SortedSet<string>();
            var missing = WithoutSuccess([valid], Outcomes(t), unreadable);
            if (unreadable.Count > 0) throw new NotReached(Verdict.Inconclusive, UnreadableNote(unreadable)!);
            return new Violations().When(missing.Count > 0, t,
                () => $"Expected: a success result for the valid template '{valid}' although '{o.Options.UnknownTemplate}' is unknown\nReceived: templates {Rules.Show(t.JsonObject?["templates"])}").Result();
        });

    public static readonly Check UnknownTemplateEndsPartial = new(
        "get-session.outcomes.unknown-template-ends-partial", "A session whose Create accepted an unknown template id ends 206 partial",
        new("TPL-17"), Scenario.Partial, o =>
        {
            var t = o.Run.RequireTerminal();
            // CF-31: msa-draft tolerates 200 with a template_errors list (spec 8.6 example); that is a warning, not this failure.
            var draftTolerated = o.Options.ProtocolProfile == ProtocolProfile.MsaDraft && t.Status == 200 && t.JsonObject?["template_errors"] is JsonArray;
            // The outcome is judged by the body's status; that partial comes with 206 is GET-PAIR-06's finding.
            var code = t.Status == 206 ? "" : $" (with HTTP {t.Status}: see GET-PAIR-06)";
            return new Violations().When(!draftTolerated && t.BodyStatus != "partial", t,
                () => $"Expected: 206 partial (Create accepted the unknown template '{o.Options.UnknownTemplate}', which cannot be generated)\nReceived: {t.Status} \"{t.BodyStatus}\"")
                .Result($"{t.Summary()}: the session ended partial{code}.");
        });

    public static IReadOnlyList<Check> All =>
        [CompletedMeansAllGenerated, OnlyRequestedTemplates, SuccessDataIsObject, ValidTemplatesStillProduced, UnknownTemplateEndsPartial];
}
