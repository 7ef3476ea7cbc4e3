using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.GetSession;

/// <summary>
/// Get Session under msa-draft: the fields each state must carry (spec 6.3, msa schema sessions), and the shape of
/// processing_errors items and failed template results. The ekascribe field sets are the schemas of GetSessionFields.
/// </summary>
public static class GetSessionDraftFields
{
    /// <summary>A field a state must carry: present (null allowed), non-null, or of one JSON kind.</summary>
    public sealed record Field(string Name, bool NonNull = false, JsonValueKind? Kind = null)
    {
        public string? Problem(JsonObject body) =>
            !body.ContainsKey(Name) ? "absent"
            : (NonNull || Kind is not null) && body[Name] is null ? "null"
            : Kind is { } kind && body[Name]!.GetValueKind() != kind ? $"a {body[Name]!.GetValueKind().ToString().ToLowerInvariant()}, not a {kind.ToString().ToLowerInvariant()}"
            : null;
    }

    /// <summary>One state's field list: which answers it covers, the fields, and the requirement.</summary>
    public sealed record StateFields(string Slug, int Code, string[] Statuses, Field[] Fields, string RequirementId, Scenario Producer);

    private static Field[] Present(params string[] names) => names.Select(n => new Field(n)).ToArray();
    private static Field[] NonNull(params string[] names) => names.Select(n => new Field(n, NonNull: true)).ToArray();
    private static readonly string[] Common = ["session_id", "status", "created_at", "audio_files_received", "audio_files"];

    public static readonly IReadOnlyList<StateFields> States =
    [
        new("202", 202, ["created", "initialized", "recording", "processing"],
            [new("additional_data", Kind: JsonValueKind.Object), new("transcript", Kind: JsonValueKind.String)], "GET-FLD-03", Scenario.Completed),
        new("200-completed", 200, ["completed"],
            [.. Present(Common), .. NonNull("completed_at", "model_used", "language_detected", "templates", "transcript")], "GET-FLD-07", Scenario.Completed),
        new("206", 206, ["partial"],
            [.. Present(Common), .. Present("audio_files_processed", "templates", "transcript", "processing_errors")], "GET-FLD-16", Scenario.Partial),
    ];

    public static readonly IReadOnlyList<Check> StateChecks = States.Select(s => new Check(
        $"get-session.draft-fields.{s.Slug}", $"Every {s.Code} {string.Join("/", s.Statuses)} body carries {string.Join(", ", s.Fields.Select(f => f.Name))}",
        new(s.RequirementId), Scenario.All, o =>
        {
            var bodies = Rules.SessionBodies(o).Select(b => b.X).Where(x => x.Status == s.Code && s.Statuses.Contains(x.BodyStatus)).ToList();
            if (bodies.Count == 0) throw o.All.First(r => r.Scenario == s.Producer).Unreached($"no {s.Code} {string.Join("/", s.Statuses)} answer was observed");
            var v = new Violations();
            foreach (var x in bodies)
            {
                var problems = s.Fields.Select(f => f.Problem(x.JsonObject!) is { } p ? $"{f.Name} {p}" : null).OfType<string>().ToList();
                v.When(problems.Count > 0, x, () => $"Expected: {string.Join(", ", s.Fields.Select(Describe))} in this {x.Status} {x.BodyStatus} body\nReceived: {string.Join("; ", problems)}");
            }
            return v.Result();
        })).ToList();

    private static string Describe(Field f) => f.Kind is { } k ? $"{f.Name} ({k.ToString().ToLowerInvariant()})" : f.NonNull ? $"{f.Name} (non-null)" : f.Name;

    /// <summary>True when `node` is an object whose `fields` are strings and whose `optional` fields, when present, are strings.</summary>
    private static bool HasStrings(JsonNode? node, string[] fields, params string[] optional) =>
        node is JsonObject o && fields.All(f => Rules.TextOf(o[f]) is not null) && optional.All(f => !o.ContainsKey(f) || Rules.TextOf(o[f]) is not null);

    public static readonly Check ProcessingErrorItems = new(
        "get-session.draft-fields.processing-error-items", "Each processing_errors item is an object with string type and message, and optionally a string file",
        new("GET-FLD-18"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (_, x) in Rules.SessionBodies(o).Where(b => b.X.JsonObject?["processing_errors"] is JsonArray))
                foreach (var item in (JsonArray)x.JsonObject!["processing_errors"]!)
                    v.When(!HasStrings(item, ["type", "message"], "file"), x, () => $"Expected: {{\"type\": string, \"message\": string, \"file\"?: string}}\nReceived: {Rules.Show(item)}");
            return v.Result();
        });

    public static readonly Check FailedTemplateError = new(
        "get-session.draft-fields.failed-template-error", "A template result with status failed has an error object with string code and message",
        new("TPL-12"), Scenario.All, o =>
        {
            var failed = GetSessionTemplates.Entries(GetSessionTemplates.ResultBodies(o, Scenario.Partial))
                .SelectMany(p => p.Entry.Select(e => (p.X, Id: e.Key, Result: e.Value as JsonObject)))
                .Where(p => Rules.TextOf(p.Result?["status"]) == "failed").ToList();
            if (failed.Count == 0) throw o.All.First(r => r.Scenario == Scenario.Partial).Unreached("no failed template result was observed");
            var v = new Violations();
            foreach (var (x, id, result) in failed)
                v.When(!HasStrings(result!["error"], ["code", "message"]), x, () => $"Expected: templates[\"{id}\"].error as {{\"code\": string, \"message\": string}}\nReceived: {Rules.Show(result!["error"])}");
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [.. StateChecks, ProcessingErrorItems, FailedTemplateError];
}
