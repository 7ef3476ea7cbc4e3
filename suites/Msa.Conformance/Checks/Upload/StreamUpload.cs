using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks.Upload;

/// <summary>
/// EkaScribe's Stream Audio (digest §6), where discovery lists stream (not applicable otherwise, and in the community
/// draft, CF-16): a stream session's upload_url is a WebSocket; audio_0's speech is streamed as binary PCM, as JSON at
/// 16 kHz and as JSON at 8 kHz; only End starts processing.
/// </summary>
public static class StreamUpload
{
    public static readonly Check Created = new(
        "upload.stream.created", "A Create with upload_type stream answers with a WebSocket upload_url (wss://; whether ws:// is allowed is CRE-07's)",
        new("CRE-32"), Scenario.StreamBinary, o =>
        {
            var x = Streamed(o).Need(o.Run.Create, "no stream Create was made");
            // Whether an advertised upload_type is accepted is DISC-39's; an id handed out twice, CRE-09's; a relative URL, CRE-06's.
            if (!x.Accepted) throw new NotReached(Verdict.Inconclusive, $"not reached: the stream Create was refused ({x.Summary()}; see DISC-39)");
            if (x.RepeatsSessionIdOf is not null) throw new NotReached(Verdict.Inconclusive, "not reached: the stream Create handed out another Create's session id (see CRE-09)");
            var given = x.Text("upload_url");
            if (!Rules.IsWebUrl(given, out var u)) throw new NotReached(Verdict.Inconclusive, $"not reached: upload_url {Rules.Show(x.JsonObject?["upload_url"])} is not absolute (see CRE-06)");
            return u.Scheme is "wss" or "ws" ? CheckResult.Pass($"upload_url {given}.")
                : CheckResult.Fail($"Expected: a WebSocket upload_url (wss://) for upload_type stream\nReceived: upload_url {Rules.Show(x.JsonObject?["upload_url"])}", x);
        });

    public static readonly Check Opens = new(
        "upload.stream.opens", "The stream upload_url accepts a WebSocket connection opened exactly as returned",
        new("UPL-WS-01"), Scenario.StreamBinary, o =>
        {
            var s = Observed(o);
            var attempts = o.Run.Exchanges.Where(x => x.Step.StartsWith("open the stream", StringComparison.Ordinal)).ToArray();
            if (s.OpenedAsReturned) return CheckResult.Pass($"opened as returned ({attempts[0].Status}).");
            if (s.OpenedWithAuthorization) return CheckResult.Pass("refused as returned, opened with the credential in a header (CF-60: accepted, reported).");
            return CheckResult.Fail($"Expected: the WebSocket opens at {o.Run.UploadUrl} (as returned, or with the credential)\nReceived: {s.OpenError}", attempts);
        });

    public static readonly Check BinaryPcm = new(
        "upload.stream.binary-pcm", "Binary frames of 16-bit little-endian mono PCM at 16 kHz are taken: every frame sent, a normal close",
        new("UPL-WS-02"), Scenario.StreamBinary, o => Taken(o));

    public static readonly Check JsonFrames = new(
        "upload.stream.json", "JSON start / media (base64 PCM) / stop frames at the default 16 kHz are taken: every frame sent, a normal close",
        new("UPL-WS-03"), Scenario.StreamJson, o => Taken(o));

    public static readonly Check JsonEightKilohertz = new(
        "upload.stream.json-8k", "JSON frames whose start gives mediaFormat.sampleRate 8000 are taken: every frame sent, a normal close",
        new("UPL-WS-03"), Scenario.StreamJson8k, o => Taken(o));

    public static readonly Check CloseDoesNotEnd = new(
        "upload.stream.close-does-not-end", "Closing the stream does not start processing: no results before End, and End is accepted after the close",
        new("UPL-WS-04"), Scenario.StreamBinary, o =>
        {
            Observed(o);
            var after = o.Run.BeforeEnd.LastOrDefault() ?? throw o.Run.Unreached("no GET after the stream closed");
            var end = o.Run.End ?? throw o.Run.Unreached("End was not sent");
            var v = new Violations();
            // Which code and status a pending session shows is GET-PAIR's business; results ready without End are this row's.
            v.When(after.BodyStatus is "completed" or "partial" or "failed", after,
                () => $"Expected: no results before End (the stream's close does not start processing)\nReceived: {after.Summary()}");
            v.When(end.ErrorCode() is "session_ended" or "session_completed", end,
                () => $"Expected: End accepted after the stream closed (the close had not ended the session)\nReceived: {end.Summary()} {end.ErrorCode()}");
            if (v.Count == 0 && !end.Accepted) return CheckResult.Inconclusive($"End after the close got {end.Summary()}, so whether the close had ended the session is not shown", end);
            return v.Result($"after the close {after.Summary()}; End {end.Summary()}.");
        });

    public static readonly Check AudioProcessed = new(
        "upload.stream.audio-processed", "Audio streamed before the close is processed after End, not lost: audio_files_received ≥ 1, not failed",
        new("UPL-WS-05"), Scenario.StreamBinary, o =>
        {
            if (!Observed(o).Accepted) throw o.Run.Unreached("the stream was not taken (see UPL-WS-02)");
            var t = o.Run.RequireTerminal();
            var files = t.JsonObject?["audio_files_received"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
            // The terminal body's own shape (status spelling, transcript) is GET-PAIR's and GET-FLD's business.
            return t.BodyStatus != "failed" && files >= 1
                ? CheckResult.Pass($"{t.Summary()}, {files} audio file(s) from the stream.")
                : CheckResult.Fail($"Expected: the {Observed(o).BytesSent} bytes streamed processed after End (audio_files_received ≥ 1, not failed)\n"
                    + $"Received: {t.Summary()}, audio_files_received {files}", t);
        });

    public static readonly Check NoChunksToStreamSession = new(
        "upload.stream.http-chunks-refused", "An HTTP chunk upload to a stream session is refused with 4xx",
        new("UPL-29"), Scenario.StreamBinary, o =>
        {
            Observed(o);
            var x = Expect.Answered(o.Run, Probe.ChunkToStreamSession);
            return x.Status is >= 400 and < 500 ? CheckResult.Pass($"{x.Summary()}.")
                : CheckResult.Fail($"Expected: 4xx for an HTTP chunk upload to a session created with upload_type stream\nReceived: {x.Summary()}", x);
        });

    public static IReadOnlyList<Check> All => [Created, Opens, BinaryPcm, JsonFrames, JsonEightKilohertz, CloseDoesNotEnd, AudioProcessed, NoChunksToStreamSession];

    /// <summary>The run, or not applicable (stream not offered, other profile) with the scenario's reason.</summary>
    private static ScenarioRun Streamed(Observations o) =>
        o.Run.Stopped is { Verdict: Verdict.NotApplicable } na ? throw new NotReached(Verdict.NotApplicable, na.Reason) : o.Run;

    private static StreamObservation Observed(Observations o) => Streamed(o).Stream ?? throw o.Run.Unreached("nothing was streamed");

    private static CheckResult Taken(Observations o)
    {
        var s = Observed(o);
        if (!s.Opened) throw o.Run.Unreached("the stream did not open (see UPL-WS-01)");
        var life = o.Run.Exchanges.Last(x => x.Method == StreamClient.Method);
        if (s.Error is not null && !s.ClosedEarly) return CheckResult.Inconclusive($"the stream broke off: {s.Error}", life);
        return s.Accepted
            ? CheckResult.Pass($"{s.FramesSent} frames ({s.BytesSent} bytes) of {s.SampleRate} Hz {s.WireFormat} PCM sent; closed {s.CloseStatus} {s.CloseDescription}.")
            : CheckResult.Fail($"Expected: every frame of {s.SampleRate} Hz {s.WireFormat} PCM taken and a normal close (1000)\n"
                + $"Received: {(s.ClosedEarly ? "the server closed the socket after " + s.FramesSent + " frame(s)" : "everything sent")}, close {s.CloseStatus?.ToString() ?? "none"} \"{s.CloseDescription}\"", life);
    }
}
