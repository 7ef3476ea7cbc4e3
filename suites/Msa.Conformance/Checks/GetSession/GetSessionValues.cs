using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.GetSession;

/// <summary>Get Session: the values inside session bodies (seed field descriptions, msa schema sessions), beyond their schema.</summary>
public static partial class GetSessionValues
{
    private const string SeedFields = "seed, msa schema sessions";

    /// <summary>Every body of the sessions the harness created itself with <see cref="ScenarioRun.CreateRequest"/> (not the webhook scenario's).</summary>
    private static IEnumerable<(ScenarioRun Run, Exchange X)> OwnSessionBodies(Observations o) =>
        Rules.SessionBodies(o).Where(b => b.Run.CreateRequest is not null && b.Run.Scenario != Scenario.Webhooks);

    /// <summary>Session bodies carrying `field` as a non-null value; NotReached (in `producer`) when none does.</summary>
    private static List<(ScenarioRun Run, Exchange X, JsonNode Value)> WithField(Observations o, string field, Scenario producer)
    {
        var found = Rules.SessionBodies(o).Where(b => b.X.JsonObject?[field] is not null).Select(b => (b.Run, b.X, b.X.JsonObject![field]!)).ToList();
        return found.Count > 0 ? found : throw o.All.First(r => r.Scenario == producer).Unreached($"no session body carried a non-null {field}");
    }

    public static readonly Check StatusPresent = new(
        "get-session.values.status-present", "Every 200, 202, 206 and 410 session body has a status field",
        new("GET-PAIR-16"), Scenario.All, o =>
        {
            var v = new Violations();
            // CF-02: in msa-draft a 410 may be the session_expired envelope instead of a session body.
            var lenient410 = o.Options.ProtocolProfile == ProtocolProfile.MsaDraft;
            foreach (var (_, x) in Rules.SessionBodies(o).Where(b => !(lenient410 && b.X.Status == 410 && b.X.JsonObject?["error"] is JsonObject)))
                v.When(x.BodyStatus is null, x, () => $"Expected: a string status in this {x.Status} body\nReceived: {(x.Has("status") ? Rules.Show(x.JsonObject!["status"]) : "no status field")}; body: {x.Excerpt(150)}");
            return v.Result();
        });

    private static readonly string[] DraftPendingStatuses = ["created", "initialized", "recording", "processing"];

    public static readonly Check Every202NotTerminal = new(
        "get-session.values.202-status-draft", "Every 202 answer carries a non-terminal status: created, initialized, recording or processing",
        new("GET-PAIR-02"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (_, x) in Rules.SessionBodies(o).Where(b => b.X.Status == 202))
                v.When(!DraftPendingStatuses.Contains(x.BodyStatus), x,
                    () => $"Expected: status {string.Join(", ", DraftPendingStatuses)} with HTTP 202\nReceived: status {Rules.Show(x.JsonObject?["status"])}");
            return v.Result();
        });

    public static readonly Check CompletedAtInRange = new(
        "get-session.values.completed-at-in-range", "completed_at lies between created_at and the time of the answer",
        new("GET-FLD-09"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (r, x, value) in WithField(o, "completed_at", Scenario.Completed))
            {
                var completed = ServerClock.Parse(Rules.TextOf(value));
                // The earlier of this body's created_at and Create's: that the two agree is GET-FLD-27's finding.
                var created = new[] { ServerClock.Parse(x.Text("created_at")), ServerClock.Parse(r.CreatedAt) }.Where(t => t is not null).Min();
                if (completed is null || created is null) continue; // unreadable timestamps: get-session.fields.timestamps-rfc3339
                // The server's clock is read from Create's created_at; when that is not "now" (CRE-05's finding), the harness's own clock bounds it.
                var latest = (ServerClock.Trusted(r) ? ServerClock.LatestServerTime(r, x) : x.StartedAt + x.Elapsed + TimeSpan.FromSeconds(120))
                    + ServerClock.Resolution(Rules.TextOf(value)!); // completed_at rounded up to its own precision is still in range
                v.When(completed < created || completed > latest, x,
                    () => $"Expected: completed_at between created_at {x.Text("created_at")} and the answer ({latest:O} at the latest, server clock)\nReceived: completed_at {Rules.TextOf(value)}");
            }
            return v.Result();
        });

    public static readonly Check ModelUsedAdvertised = new(
        "get-session.values.model-used-advertised", "model_used names one of the models discovery lists",
        new("GET-FLD-10"), Scenario.All, o =>
        {
            var models = o.Capabilities.Declared(Feature.Model);
            if (models.Count == 0) throw new NotReached(Verdict.Inconclusive, "discovery lists no models[].id to compare model_used with");
            var v = new Violations();
            foreach (var (_, x, value) in WithField(o, "model_used", Scenario.Completed))
                v.When(Rules.TextOf(value) is not { } m || !models.Contains(m), x,
                    () => $"Expected: model_used one of the discovery model ids ({string.Join(", ", models)})\nReceived: {Rules.Show(value)}");
            return v.Result();
        });

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex Iso6391();

    public static readonly Check LanguageDetectedIso6391 = new(
        "get-session.values.language-detected-iso-639-1", "language_detected is a two-letter ISO 639-1 code",
        new("GET-FLD-12", "CF-35", profile: ProtocolProfile.Ekascribe), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (_, x, value) in WithField(o, "language_detected", Scenario.Completed))
                v.When(Rules.TextOf(value) is not { } code || !Iso6391().IsMatch(code), x,
                    () => $"Expected: language_detected as two lower-case letters (ISO 639-1, e.g. \"en\")\nReceived: {Rules.Show(value)}");
            return v.Result();
        });

    public static readonly Check CompletedTranscriptNotEmpty = new(
        "get-session.values.completed-transcript-not-empty", "A completed session's transcript is a non-empty string",
        new("GET-FLD-14"), Scenario.All, o =>
        {
            var completed = Rules.SessionBodies(o).Where(b => b.X.Status == 200 && b.X.BodyStatus == "completed").ToList();
            if (completed.Count == 0) throw o.All.First(r => r.Scenario == Scenario.Completed).Unreached("no 200 completed answer was observed");
            // A body with no transcript at all is GET-FLD-06's finding; this row judges the transcript that is there.
            completed = completed.Where(b => b.X.Has("transcript")).ToList();
            if (completed.Count == 0) throw new NotReached(Verdict.Inconclusive, "no 200 completed body has a transcript field (see GET-FLD-06)");
            var v = new Violations();
            foreach (var (_, x) in completed)
                v.When(string.IsNullOrWhiteSpace(x.Text("transcript")), x,
                    () => $"Expected: transcript as a non-empty string in a completed session\nReceived: {(x.Has("transcript") ? Rules.Show(x.JsonObject!["transcript"]) : "no transcript field")}");
            return v.Result();
        });

    public static readonly Check ProcessedNotAboveReceived = new(
        "get-session.values.processed-not-above-received", "audio_files_processed is never larger than audio_files_received",
        new("GET-FLD-17"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (_, x, value) in WithField(o, "audio_files_processed", Scenario.Partial))
                if (value is JsonValue p && p.TryGetValue<double>(out var processed) && x.JsonObject!["audio_files_received"] is JsonValue r && r.TryGetValue<double>(out var received))
                    v.When(processed > received, x, () => $"Expected: audio_files_processed ≤ audio_files_received ({received})\nReceived: audio_files_processed {processed}");
            return v.Result();
        });

    public static readonly Check PatientDetailsWhilePending = new(
        "get-session.values.patient-details-while-pending", "Every 202 body echoes the patient_details given at creation",
        new("GET-FLD-04"), Scenario.All, o =>
        {
            var pending = OwnSessionBodies(o).Where(b => b.X.Status == 202 && b.Run.CreateRequest!["patient_details"] is JsonObject).ToList();
            if (pending.Count == 0) throw o.All.First(r => r.Scenario == Scenario.Completed).Unreached("no 202 answer of a session created with patient_details was observed");
            var v = new Violations();
            foreach (var (r, x) in pending)
            {
                var sent = r.CreateRequest!["patient_details"];
                v.When(!JsonNode.DeepEquals(sent, x.JsonObject?["patient_details"]), x,
                    () => $"Expected: patient_details {Rules.Show(sent)} (as sent to Create)\nReceived: {(x.Has("patient_details") ? Rules.Show(x.JsonObject!["patient_details"]) : "no patient_details field")}");
            }
            return v.Result();
        });

    public static readonly Check ExpiredCountsUploads = new(
        "get-session.values.expired-counts-uploads", "A 410 body lists the chunks uploaded before expiry",
        new("GET-FLD-24"), Scenario.Expired, o =>
        {
            var run = o.Run;
            var x = run.RequireTerminal();
            if (x.Status != 410 || x.BodyStatus != "expired") throw run.Unreached($"the session was not reported 410 expired with a session body ({x.Summary()})");
            var accepted = run.Uploads.Count(u => u.Accepted);
            var files = x.JsonObject!["audio_files"] as JsonArray;
            return new Violations().When(Rules.Show(x.JsonObject["audio_files_received"]) != accepted.ToString() || files?.Count != accepted, x,
                () => $"Expected: audio_files_received {accepted} and {accepted} audio_files entr(ies): the chunks accepted before expiry\nReceived: audio_files_received {Rules.Show(x.JsonObject["audio_files_received"])}, audio_files {Rules.Show(files)}").Result();
        });

    private static readonly string[] StableWhilePending = ["session_id", "created_at", "upload_url"];

    public static readonly Check PendingAnswersConsistent = new(
        "get-session.values.pending-answers-consistent", "Across consecutive 202 answers audio_files_received never decreases and session_id, created_at and upload_url stay the same",
        new("POLL-07"), Scenario.All, o =>
        {
            var v = new Violations();
            var sessions = Rules.SessionBodies(o).Select(b => b.X).Where(x => x.Status == 202).GroupBy(x => x.Url.Split('?')[0]).Select(g => g.OrderBy(x => x.StartedAt).ToList()).Where(g => g.Count > 1).ToList();
            if (sessions.Count == 0) throw o.All.First(r => r.Scenario == Scenario.Completed).Unreached("no session was answered 202 twice");
            foreach (var answers in sessions)
                foreach (var (before, after) in answers.Zip(answers.Skip(1)))
                {
                    var changed = StableWhilePending.Where(f => Rules.Show(before.JsonObject![f]) != Rules.Show(after.JsonObject![f])).ToList();
                    var (was, now) = (Count(before), Count(after));
                    v.When(changed.Count > 0 || now < was, after,
                        () => $"Expected: audio_files_received ≥ {was} and {string.Join(", ", StableWhilePending)} as in the previous 202 ({before.Step})\nReceived: audio_files_received {now}{string.Concat(changed.Select(f => $"; {f} {Rules.Show(before.JsonObject![f])} → {Rules.Show(after.JsonObject![f])}"))}");
                }
            return v.Result();
        });

    public static readonly Check NotEndedNeverFinished = new(
        "get-session.values.polling-alone-never-finishes", "A session that is only polled, never ended, is never answered 200 or 206",
        new("POLL-03"), Scenario.All, o =>
        {
            var v = new Violations();
            var examined = 0;
            foreach (var session in Rules.SessionBodies(o).Select(b => (b.Run, b.X)).GroupBy(b => (b.Run, Url: b.X.Url.Split('?')[0])))
            {
                var firstEnd = session.Key.Run.Exchanges.Where(x => x.Url == session.Key.Url + "/end").Select(x => (DateTimeOffset?)x.StartedAt).Min();
                foreach (var (_, x) in session.Where(b => firstEnd is null || b.X.StartedAt < firstEnd))
                {
                    examined++;
                    v.When(x.Status is 200 or 206, x, () => $"Expected: 202 (or 410 once expired) for a session no End was sent for\nReceived: {x.Status} \"{x.BodyStatus}\"");
                }
            }
            if (examined == 0) throw o.All.First(r => r.Scenario == Scenario.Completed).Unreached("no session was read before it was ended");
            return v.Result();
        }) { AlsoCites = ["END-12"] };

    private static double Count(Exchange x) => x.JsonObject?["audio_files_received"] is JsonValue n && n.TryGetValue<double>(out var c) ? c : double.NaN;

    public static IReadOnlyList<Check> All =>
        [StatusPresent, Every202NotTerminal, PendingAnswersConsistent, NotEndedNeverFinished, CompletedAtInRange, ModelUsedAdvertised, LanguageDetectedIso6391, CompletedTranscriptNotEmpty, ProcessedNotAboveReceived, PatientDetailsWhilePending, ExpiredCountsUploads];
}
