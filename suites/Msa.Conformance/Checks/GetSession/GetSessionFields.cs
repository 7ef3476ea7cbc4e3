using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.GetSession;

/// <summary>Get Session: the field set of each state (seed, "Response fields by state"), validated against schemas/.</summary>
public static class GetSessionFields
{
    private const string Fields = "seed: Get Session › Response fields by state";

    /// <summary>One row per state of the seed's table: which answers it covers, the schema, which scenario produces it, (the profile is the row's).</summary>
    /// <remarks>`Also`: the seed's field-type rules of that state that the schema encodes too.</remarks>
    public sealed record StateRow(string Name, int Code, string Status, string Schema, string RequirementId, Scenario Producer, string[]? Also = null);

    public static readonly IReadOnlyList<StateRow> States =
    [
        new("202", 202, "processing|initialized", "get-session-202.json", "GET-FLD-01", Scenario.Completed),
        new("202-seed", 202, "processing|initialized", "get-session-202-seed.json", "GET-FLD-02", Scenario.Completed),
        new("200-completed", 200, "completed", "get-session-200-completed.json", "GET-FLD-06", Scenario.Completed),
        new("200-failed", 200, "failed", "get-session-200-failed.json", "GET-FLD-25", Scenario.Failed),
        new("206", 206, "partial", "get-session-206.json", "GET-FLD-15", Scenario.Partial, ["GET-FLD-19"]),
        new("410", 410, "expired", "get-session-410.json", "GET-FLD-20", Scenario.Expired),
        new("410-seed", 410, "expired", "get-session-410-seed.json", "GET-FLD-21", Scenario.Expired),
    ];

    public static readonly IReadOnlyList<Check> StateSchemas = States.Select(s => new Check(
        $"get-session.fields.{s.Name}", $"Every {s.Code} {s.Status.Replace("|", "/")} body has the seed's field set (schemas/{s.Schema})",
        new(s.RequirementId), Scenario.All, o =>
        {
            var statuses = s.Status.Split('|');
            var matching = Rules.SessionBodies(o).Select(b => b.X).Where(x => x.Status == s.Code && statuses.Contains(x.BodyStatus)).ToList();
            if (matching.Count == 0) throw o.All.First(r => r.Scenario == s.Producer).Unreached($"no {s.Code} {s.Status} answer was observed");
            return Rules.MatchesSchema(matching, s.Schema);
        }) { AlsoCites = s.Also ?? [] }).ToList();

    public static readonly Check UploadUrlInEveryState = new(
        "get-session.fields.upload-url-every-state", "Every session body echoes the upload_url that Create returned",
        new("GET-FLD-05"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (r, x) in Rules.SessionBodies(o).Where(b => b.Run.Create?.Text("upload_url") is not null))
            {
                var created = r.Create!.Text("upload_url");
                v.When(x.Text("upload_url") != created, x,
                    () => $"Expected: upload_url \"{created}\" (from Create) in this {x.Status} {x.BodyStatus} body\nReceived: {Rules.Show(x.JsonObject?["upload_url"])}{(x.Has("upload_url") ? "" : " (field absent)")}");
            }
            return v.Result();
        });

    private static readonly string[] TimestampFields = ["created_at", "expires_at", "completed_at", "expired_at"];

    public static readonly Check TimestampsAreRfc3339 = new(
        "get-session.fields.timestamps-rfc3339", "Every timestamp in a session body is an RFC 3339 date-time with a zone offset",
        new("GET-FLD-32"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (_, x) in Rules.SessionBodies(o))
                foreach (var f in TimestampFields)
                    if (x.JsonObject?[f] is JsonValue value)
                        v.When(x.Text(f) is not { } s || !SchemaValidator.IsRfc3339(s), x,
                            () => $"Expected: {f} as an RFC 3339 date-time with offset (2026-06-06T14:21:07Z)\nReceived: {value.ToJsonString()}");
            return v.Result();
        });

    public static readonly Check CreatedAtUnchanged = new(
        "get-session.fields.created-at-stable", "created_at in every Get Session body equals the created_at Create returned",
        new("GET-FLD-27"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (r, x) in Rules.SessionBodies(o).Where(b => b.Run.CreatedAt is not null))
                v.When(!SameInstant(x.Text("created_at"), r.CreatedAt!), x, () => $"Expected: created_at {r.CreatedAt} (from Create)\nReceived: {Rules.Show(x.JsonObject?["created_at"])}");
            return v.Result();
        });

    public static readonly Check AudioCountMatchesList = new(
        "get-session.fields.audio-count-matches-list", "audio_files_received equals the number of entries in audio_files",
        new("GET-FLD-29"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (_, x) in Rules.SessionBodies(o))
                if (x.JsonObject?["audio_files"] is JsonArray files && x.JsonObject["audio_files_received"] is JsonValue n)
                    v.When(!n.TryGetValue<int>(out var count) || count != files.Count, x,
                        () => $"Expected: audio_files_received = {files.Count} (entries in audio_files)\nReceived: {n.ToJsonString()}");
            return v.Result();
        });

    public static readonly Check CountsUploadsBeforeEnd = new(
        "get-session.fields.counts-uploads-before-end", "Before End, audio_files_received counts the chunks accepted so far",
        new("GET-FLD-31"), Scenario.Completed, o =>
        {
            var run = o.Run;
            var x = run.BeforeEnd.Count >= 2 ? run.BeforeEnd[^1] : throw run.Unreached("no GET after the uploads was made");
            var accepted = run.Uploads.Count(u => u.Accepted);
            return new Violations().When(x.JsonObject?["audio_files_received"]?.GetValueKind() != System.Text.Json.JsonValueKind.Number
                    || (int)x.JsonObject["audio_files_received"]! != accepted, x,
                () => $"Expected: audio_files_received = {accepted} after {accepted} accepted upload(s)\nReceived: {Rules.Show(x.JsonObject?["audio_files_received"])}").Result();
        });

    public static readonly Check FilesMatchEnd = new(
        "get-session.fields.files-match-end", "After End, audio_files and audio_files_received equal those End returned, in the same order",
        new("GET-FLD-30"), Scenario.Completed, o =>
        {
            var run = o.Run;
            var end = run.Need(run.End?.JsonObject, "End Session gave no JSON body");
            if (end["audio_files"] is not JsonArray || !end.ContainsKey("audio_files_received"))
                throw new NotReached(Verdict.Inconclusive, "End's body lacks audio_files or audio_files_received, so there is nothing to compare GET with (see END-02)");
            var expected = Rules.Show(end["audio_files"]);
            var v = new Violations();
            foreach (var x in run.Polls.Concat(run.AfterTerminal).Where(x => x.JsonObject is not null && Rules.IsSessionCode(x.Status)))
                v.When(Rules.Show(x.JsonObject!["audio_files"]) != expected || Rules.Show(x.JsonObject["audio_files_received"]) != Rules.Show(end["audio_files_received"]), x,
                    () => $"Expected: audio_files {expected}, audio_files_received {Rules.Show(end["audio_files_received"])} (from End)\nReceived: {Rules.Show(x.JsonObject!["audio_files"])}, {Rules.Show(x.JsonObject["audio_files_received"])}");
            return v.Result();
        });

    public static IReadOnlyList<Check> All =>
        [.. StateSchemas, UploadUrlInEveryState, TimestampsAreRfc3339, CreatedAtUnchanged, AudioCountMatchesList, CountsUploadsBeforeEnd, FilesMatchEnd];

    /// <summary>The same instant; a time without a zone is read as UTC, since whether it has one is GET-FLD-32's finding.</summary>
    private static bool SameInstant(string? a, string b) =>
        a == b || (ServerClock.Parse(a) is { } x && ServerClock.Parse(b) is { } y && x == y);
}
