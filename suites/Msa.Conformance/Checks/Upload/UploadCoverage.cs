using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Upload;

/// <summary>Upload errors in the envelope (UPL-17), stored chunk names (UPL-22), and no chunk crossing sessions (ISO-02).</summary>
public static partial class UploadCoverage
{
    public static readonly Check RefusalsUseEnvelope = new(
        "upload.refused.envelope", "Every upload the scribe API refuses is answered with the error envelope",
        new("UPL-17"), Scenario.All, o =>
        {
            // Only the API's own upload endpoint: a presigned storage URL answers in its provider's format (spec 7.8).
            var refused = UploadLog.Answers(o).Where(a => a.X.Status >= 400 && !UploadLog.ToStorage(a.X)).Select(a => a.X).ToList();
            if (refused.Count == 0) throw new NotReached(Verdict.Inconclusive, "no upload to the API was refused");
            var v = new Violations();
            foreach (var x in refused)
            {
                var problems = Expect.EnvelopeProblems(x); // its Content-Type is ERR-05's
                v.When(problems.Count > 0, x, () => $"Expected: {{\"error\":{{\"code\",\"message\"}}}}\nReceived: HTTP {x.Status}: {string.Join("; ", problems)}");
            }
            return v.Result($"{refused.Count} refused upload(s), each with the error envelope.");
        });

    [GeneratedRegex(@"^\d+\.[A-Za-z0-9]+$")]
    private static partial Regex StoredName();

    public static readonly Check StoredAsSequence = new(
        "upload.stored-as-sequence", "Stored chunks are listed in audio_files as {sequence}.{ext} (audio_0.webm becomes 0.webm)",
        new("UPL-22", "CF-08", Level.Should), Scenario.All, o =>
        {
            var bodies = Listings(o).Where(l => l.Files.Count > 0).ToList();
            if (bodies.Count == 0) throw new NotReached(Verdict.Inconclusive, "no End or Get Session answer listed any audio file");
            var v = new Violations();
            foreach (var (_, x, files) in bodies)
            {
                var wrong = files.Where(f => f is null || !StoredName().IsMatch(f)).ToList();
                v.When(wrong.Count > 0, x, () => $"Expected: audio_files entries named {{sequence}}.{{ext}}, e.g. 0.wav\nReceived: {Rules.Show(x.JsonObject!["audio_files"])}");
            }
            return v.Result();
        });

    public static readonly Check NoChunkFromAnotherSession = new(
        "upload.isolated-sessions", "A session's audio_files never names a chunk that was not uploaded to that session",
        new("ISO-02"), Scenario.All, o =>
        {
            var v = new Violations();
            var examined = 0;
            foreach (var (run, x, files) in Listings(o))
            {
                // The session the request addressed, not the one the body names (that it names the right one is END-03's and GET-PAIR-17's).
                var id = UploadLog.AddressedSession(x) ?? run.SessionId;
                var sent = run.Exchanges.Where(u => UploadLog.FileOf(u) is not null && UploadLog.SessionOf(run, u) == id)
                    .Select(u => AudioFixtures.SequenceOf(UploadLog.FileOf(u)!)).OfType<int>().ToHashSet();
                var foreign = files.Select(f => f is null ? null : AudioFixtures.SequenceOf(f)).OfType<int>().Where(n => !sent.Contains(n)).ToList();
                examined++;
                v.When(foreign.Count > 0, x, () => $"Expected: only chunks uploaded to session {id} (sequence numbers [{string.Join(", ", sent.Order())}])\n"
                    + $"Received: audio_files {Rules.Show(x.JsonObject!["audio_files"])} also names [{string.Join(", ", foreign)}]");
            }
            if (examined == 0) throw new NotReached(Verdict.Inconclusive, "no End or Get Session answer had an audio_files list");
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [RefusalsUseEnvelope, StoredAsSequence, NoChunkFromAnotherSession];

    /// <summary>Every End 202 and session-body GET answer with an audio_files list, with its entries (null for a non-string).</summary>
    private static IEnumerable<(ScenarioRun Run, Exchange X, List<string?> Files)> Listings(Observations o) =>
        o.All.SelectMany(r => r.Exchanges.Where(x => x.GotResponse && (x == r.End && x.Accepted || x.Step.StartsWith("get", StringComparison.Ordinal) && Rules.IsSessionCode(x.Status)))
            .Where(x => x.JsonObject?["audio_files"] is JsonArray)
            .Select(x => (r, x, ((JsonArray)x.JsonObject!["audio_files"]!).Select(Rules.TextOf).ToList())));
}

/// <summary>Numeric ordering of sequence numbers (UPL-19): the session of the End race holds chunks 9 and 10.</summary>
public static class UploadNumericOrder
{
    public static readonly Check TenAfterNine = new(
        "upload.numeric-order", "Chunks are ordered by sequence number as a number: 10 comes after 9 in audio_files",
        new("UPL-19"), Scenario.UploadVariants, o =>
        {
            var x = Enumerable.Range(0, 2).Select(i => o.Run.Probes.GetValueOrDefault(ScenarioDriver.SimultaneousEnd(i)))
                .FirstOrDefault(e => e is { Accepted: true } && e.JsonObject?["audio_files"] is JsonArray)
                ?? throw o.Run.Unreached("neither End of the session holding chunks 9 and 10 was accepted with an audio_files list (see END-01, END-02)");
            var sequences = UploadLog.Sequences(x.JsonObject?["audio_files"]);
            var (nine, ten) = (sequences?.IndexOf(9) ?? -1, sequences?.IndexOf(10) ?? -1);
            if (nine < 0 || ten < 0) throw new NotReached(Verdict.Inconclusive, $"audio_files {Rules.Show(x.JsonObject?["audio_files"])} does not list both chunk 9 and chunk 10");
            return new Violations().When(ten < nine, x, () => $"Expected: chunk 10 after chunk 9 (numeric order)\nReceived: audio_files {Rules.Show(x.JsonObject!["audio_files"])}").Result();
        });

    public static IReadOnlyList<Check> All => [TenAfterNine];
}
