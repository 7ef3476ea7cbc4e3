using Msa.Conformance.Checks.Upload;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.EndSession;

/// <summary>End Session: 202 and its body, the files it reports, and the refusals (eka end-session; spec 6.4).</summary>
public static class EndSessionAnswer
{
    private const string Eka = "eka end-session";

    /// <summary>Every run that called End on its session, with End's answer.</summary>
    private static List<(ScenarioRun Run, Exchange End)> Ended(Observations o)
    {
        var ended = o.All.Where(r => r.End is { GotResponse: true }).Select(r => (r, r.End!)).ToList();
        return ended.Count > 0 ? ended : throw new NotReached(Verdict.Inconclusive, "no scenario got an answer from End Session");
    }

    /// <summary>Every End that was accepted (any 2xx: 202 exactly is END-01's) with a JSON body.</summary>
    private static List<(ScenarioRun Run, Exchange End)> Accepted(Observations o) =>
        Ended(o).Where(e => e.End.Accepted && e.End.JsonObject is not null).ToList();

    /// <summary>
    /// The accepted Ends whose body has audio_files as a list (that it is there is END-02's), of sessions whose chunks
    /// went one at a time: what parallel uploads leave behind is ISO-03's.
    /// </summary>
    private static List<(ScenarioRun Run, Exchange End)> Listing(Observations o)
    {
        var found = Accepted(o).Where(e => e.Run.Scenario != Scenario.ParallelUploads && e.End.JsonObject!["audio_files"] is System.Text.Json.Nodes.JsonArray).ToList();
        return found.Count > 0 ? found : throw new NotReached(Verdict.Inconclusive, "no accepted End body had an audio_files list (see END-02)");
    }

    public static readonly Check Is202 = new(
        "end-session.answer.accepted-202", "End with {\"audio_files_sent\": n} on an open session answers 202 Accepted",
        new("END-01"), Scenario.All, o =>
        {
            var v = new Violations();
            // Every try counts: a retried 500 is still this row's failure, though the retry let the scenario go on.
            foreach (var (run, end) in Ended(o).Where(e => !(e.End.SentCredential && e.End.Status == 401)))
                foreach (var x in run.Exchanges.Where(e => e.GotResponse && e.Method == "POST" && ScenarioDriver.IsAttemptOf(e.Step, "end")).DefaultIfEmpty(end))
                    v.When(x.Status != 202, x, () => $"Expected: HTTP 202 (the {run.Scenario} session had not been ended)\nReceived: HTTP {x.Status}: {x.Excerpt(150)}");
            return v.Result();
        });

    public static readonly Check BodyFields = new(
        "end-session.answer.body-fields", "The 202 body has session_id, status, message, audio_files_received and audio_files (schemas/end-session-202.json)",
        new("END-02"), Scenario.All, o =>
            Rules.MatchesSchema(Accepted(o).Select(e => e.End), "end-session-202.json"));

    public static readonly Check SessionIdEchoed = new(
        "end-session.answer.session-id", "session_id in the 202 body is the id in the path",
        new("END-03"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (run, x) in Accepted(o))
                v.When(x.Text("session_id") != run.SessionId, x, () => $"Expected: session_id \"{run.SessionId}\"\nReceived: {Rules.Show(x.JsonObject?["session_id"])}");
            return v.Result();
        });

    public static readonly Check StatusProcessing = new(
        "end-session.answer.status-processing", "status in the 202 body is processing",
        new("END-04", "CF-25", Should), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (_, x) in Accepted(o))
                v.When(x.BodyStatus != "processing", x, () => $"Expected: status \"processing\"\nReceived: {Rules.Show(x.JsonObject?["status"])}");
            return v.Result();
        });

    public static readonly Check CountsMatchUploads = new(
        "end-session.files.counts-match-uploads", "audio_files_received equals the length of audio_files and the number of distinct chunks accepted",
        new("END-06"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (run, x) in Listing(o))
            {
                var accepted = UploadLog.AcceptedBeforeEnd(run);
                var received = x.JsonObject!["audio_files_received"];
                var listed = (x.JsonObject["audio_files"] as System.Text.Json.Nodes.JsonArray)?.Count;
                v.When(Rules.Show(received) != accepted.Count.ToString() || listed != accepted.Count, x,
                    () => $"Expected: audio_files_received {accepted.Count} and {accepted.Count} audio_files entries ({accepted.Count} distinct chunk(s) answered 2xx before End)\n"
                        + $"Received: audio_files_received {Rules.Show(received)}, audio_files {Rules.Show(x.JsonObject["audio_files"])}");
            }
            return v.Result();
        }) { AlsoCites = ["UPL-20"] };

    public static readonly Check FilesInSequenceOrder = new(
        "end-session.files.sequence-order", "audio_files names the accepted chunks by sequence number, in sequence order",
        new("END-07"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (run, x) in Listing(o))
            {
                var problem = UploadLog.SequenceOrderProblem(x.JsonObject!["audio_files"], UploadLog.AcceptedBeforeEnd(run));
                v.When(problem is not null, x, () => $"Expected: the chunks accepted before End, by sequence number, ascending\nReceived: {problem}");
            }
            return v.Result();
        });

    public static readonly Check UnknownSession = new(
        "end-session.refused.unknown-session-404", "End of a session id that was never created answers 404 session_not_found with the error envelope",
        new("END-08"), Scenario.UploadVariants, o =>
            Expect.Refused(o.Run, Probe.UnknownIdEnd, Expect.Status404, "session_not_found", envelope: true));

    public static readonly Check SecondEndRefused = new(
        "end-session.refused.second-end-400", "A second End of a session already ended answers 400 with the error envelope",
        new("END-09"), Scenario.OutOfOrder, o =>
            o.Options.Profile == "ekascribe"
                ? Expect.Refused(o.Run, Probe.SecondEnd, Expect.Status400, null)
                : Expect.Refused(o.Run, Probe.SecondEnd, [.. Enumerable.Range(400, 100)], null));

    public static readonly Check SecondEndWithoutAudioRefused = new(
        "end-session.refused.second-end-no-audio", "A second End of a session that was ended without audio answers 400 with the error envelope",
        new("END-09"), Scenario.Failed, o => Expect.Refused(o.Run, Probe.SecondEndWithoutAudio, Expect.Status400, null, envelope: true));

    public static readonly Check MismatchVisible = new(
        "end-session.files.sent-mismatch-visible", "When audio_files_sent exceeds the chunks received, the final state shows it",
        new("END-16"),
        Scenario.EndMismatch, o =>
        {
            var run = o.Run;
            var t = run.RequireTerminal();
            var arrived = UploadLog.AcceptedBeforeEnd(run).Count;
            var received = t.JsonObject?["audio_files_received"];
            if (t.Status == 206 && t.BodyStatus == "partial" && t.JsonObject?["processing_errors"] is System.Text.Json.Nodes.JsonArray { Count: > 0 })
                return CheckResult.Pass($"{t.Summary()}: reported partial with processing_errors, as spec 6.4 describes.");
            return new Violations().When(Rules.Show(received) != arrived.ToString(), t,
                    () => $"Expected: 206 partial with processing_errors, or at least audio_files_received {arrived} (what arrived; End declared 2)\nReceived: {t.Status} {t.BodyStatus}, audio_files_received {Rules.Show(received)}")
                .Result($"{t.Summary()}: audio_files_received {arrived} against audio_files_sent 2, so a client sees the mismatch (not reported as partial).");
        });

    public static IReadOnlyList<Check> All =>
        [Is202, BodyFields, SessionIdEchoed, StatusProcessing, CountsMatchUploads, FilesInSequenceOrder, UnknownSession, SecondEndRefused, SecondEndWithoutAudioRefused, MismatchVisible];
}
