using System.Text.Json.Nodes;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Upload;

/// <summary>Upload Audio, the accepting side: raw chunks, the 200 body, multipart, every advertised format, chunk order (eka upload-audio).</summary>
public static class UploadAccepted
{
    private const string Eka = "eka upload-audio";

    public static readonly Check RawChunkIs200 = new(
        "upload.accepted.raw-200", "A raw chunk POSTed to {upload_url}/{file_name} of a session not yet ended is answered 200",
        new("UPL-01"), Scenario.All, o =>
        {
            var uploads = o.All.SelectMany(r => r.Uploads).Where(x => x.GotResponse).ToList();
            if (uploads.Count == 0) throw new NotReached(Verdict.Inconclusive, "no scenario uploaded a chunk");
            var v = new Violations();
            foreach (var x in uploads)
                v.When(x.Status != 200, x, () => $"Expected: HTTP 200 for {UploadLog.FileOf(x)}\nReceived: HTTP {x.Status}: {x.Excerpt(150)}");
            return v.Result();
        });

    public static readonly Check SuccessBody = new(
        "upload.accepted.success-true", "Every accepted upload is answered with success: true (schemas/upload-200.json)",
        new("UPL-02"), Scenario.All, o =>
            Rules.MatchesSchema(Answered200(o).Select(a => a.X), "upload-200.json"));

    public static readonly Check BodyEchoes = new(
        "upload.accepted.body-echoes", "The upload answer names the session and the original file name it was sent",
        new("UPL-02", "CF-22", Should), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (r, x) in Answered200(o))
            {
                var file = UploadLog.FileOf(x)!;
                var session = UploadLog.SessionOf(r, x);
                v.When(x.Text("original_filename") != file, x,
                    () => $"Expected: original_filename \"{file}\" (the name sent)\nReceived: {Rules.Show(x.JsonObject?["original_filename"])}");
                v.When(session is not null && x.Text("session_id") != session, x,
                    () => $"Expected: session_id \"{session}\"\nReceived: {Rules.Show(x.JsonObject?["session_id"])}");
            }
            return v.Result();
        });

    public static readonly Check MultipartAccepted = new(
        "upload.accepted.multipart", "A multipart/form-data POST of one file part to upload_url is accepted",
        new("UPL-03", "CF-07", Should),
        Scenario.UploadVariants, o =>
        {
            UploadLog.NotForPresigned(o.Run, "audio goes there with a PUT (spec 7.4), so no multipart POST was sent");
            var x = Expect.Answered(o.Run, Probe.Multipart);
            return new Violations().When(!x.Accepted, x,
                () => $"Expected: 2xx for multipart/form-data with one part 'file' (filename {UploadLog.FileOf(x)})\nReceived: HTTP {x.Status}: {x.Excerpt(150)}")
                .Result($"{x.Summary()}: multipart upload accepted.");
        });

    public static readonly Check AdvertisedFormatsAccepted = new(
        "upload.accepted.advertised-formats", "Each audio format discovery advertises in capabilities.audio_formats is accepted for upload",
        new("UPL-10"), Scenario.UploadVariants, o =>
        {
            var run = o.Run;
            var discovery = run.Need(run.Probes.GetValueOrDefault(Probe.Discovery), "discovery was not recorded");
            var advertised = (discovery.JsonObject?["capabilities"]?["audio_formats"] as JsonArray ?? []).OfType<JsonValue>()
                .Select(f => f.ToString()).Distinct().ToList();
            if (advertised.Count == 0) throw new NotReached(Verdict.NotApplicable, "discovery advertises no capabilities.audio_formats");
            var covered = advertised.Where(f => AudioFixtures.ForFormat(f) is not null).ToList();
            var uncovered = advertised.Except(covered).ToList();
            var notCovered = uncovered.Count == 0 ? "" : $" Not applicable (no fixture in that format): {string.Join(", ", uncovered)}.";
            if (covered.Count == 0) throw new NotReached(Verdict.NotApplicable, $"no fixture is in an advertised format ({string.Join(", ", advertised)}).");
            var v = new Violations();
            // A presigned storage URL refusing a PUT is UPL-05's finding, whatever the format.
            var storageRefused = covered.Where(f => Expect.Answered(run, Probe.Format(f)) is var x && UploadLog.ToStorage(x) && !x.Accepted).ToList();
            if (storageRefused.Count == covered.Count)
                throw new NotReached(Verdict.Inconclusive, $"the presigned storage URL refused every PUT ({string.Join(", ", covered)}), so no format was judged: see UPL-05");
            foreach (var format in covered.Except(storageRefused))
            {
                var x = Expect.Answered(run, Probe.Format(format));
                v.When(!x.Accepted, x, () => $"Expected: 2xx for a chunk of {format}, which discovery advertises\nReceived: HTTP {x.Status}: {x.Excerpt(150)}");
            }
            var refusedNote = storageRefused.Count == 0 ? "" : $" Not judged (the storage refused the PUT, see UPL-05): {string.Join(", ", storageRefused)}.";
            return v.Result($"Accepted: {string.Join(", ", covered.Except(storageRefused))}.{notCovered}{refusedNote}");
        });

    public static readonly Check OutOfOrderListedInSequence = new(
        "upload.accepted.out-of-order-sequenced", "Chunks uploaded as 2, 0, 1 are listed by End and Get Session in sequence order 0, 1, 2",
        new("UPL-18"),
        Scenario.OutOfOrder, o =>
        {
            var run = o.Run;
            var end = Expect.NotRefusedCredential(run.Need(run.End, "End was not called"));
            var get = run.Probes.GetValueOrDefault(Probe.GetAfterEnd);
            var accepted = UploadLog.AcceptedBeforeEnd(run);
            // Each answer that carries a list is judged; one that has none is END-02's or GET-PAIR-15's finding.
            var listing = new[] { end, get }.Where(x => x is { GotResponse: true } && x.JsonObject?["audio_files"] is JsonArray).Select(x => x!).ToList();
            if (listing.Count == 0) throw run.Unreached("neither End nor the GET after it answered with an audio_files list (see END-02, GET-PAIR-15)");
            var v = new Violations();
            foreach (var x in listing)
                v.When(UploadLog.SequenceOrderProblem(x.JsonObject?["audio_files"], accepted) is not null, x,
                    () => $"Expected: audio_files in sequence order (chunks arrived as {string.Join(", ", run.Uploads.Select(UploadLog.FileOf))})\nReceived: {UploadLog.SequenceOrderProblem(x.JsonObject?["audio_files"], accepted)}");
            return v.Result($"Arrived as {string.Join(", ", run.Uploads.Select(UploadLog.FileOf))}; {string.Join(" and ", listing.Select(x => $"{x.Step} lists {Rules.Show(x.JsonObject?["audio_files"])}"))}.");
        });

    public static readonly Check PresignedPutAccepted = new(
        "upload.presigned.put-accepted", "When upload_url is a presigned storage URL, each chunk PUT to {upload_url}/{file_name} before End is accepted with 2xx",
        new("UPL-05"), Scenario.All, o =>
        {
            // The uploads that give a session its audio (every try); the probes beyond them are other rows'.
            var puts = o.All.SelectMany(r => r.Uploads).Where(UploadLog.ToStorage).ToList();
            if (puts.Count == 0)
                throw o.All.Any(r => r.Exchanges.Any(x => x.Accepted && ScenarioDriver.IsAttemptOf(x.Step, "create") && x.Text("upload_url") is not null))
                    ? new NotReached(Verdict.NotApplicable, "every upload_url is the scribe API's own endpoint (no signature parameter such as X-Amz-Signature, "
                        + "X-Goog-Signature or sig, nor a cloud-storage host), so audio is POSTed there (see UPL-03)")
                    : new NotReached(Verdict.Inconclusive, "no Create Session handed out an upload_url (see CRE-01, CRE-06)");
            var answered = puts.Where(x => x.GotResponse).ToList();
            if (answered.Count == 0) return CheckResult.Inconclusive($"no PUT to the presigned URL got an answer: {puts[0].TransportError}");
            var v = new Violations();
            foreach (var x in answered)
                v.When(!x.Accepted, x, () => $"Expected: 2xx for the PUT of {UploadLog.FileOf(x)} to the presigned upload_url\nReceived: HTTP {x.Status}: {x.Excerpt(200)}");
            return v.Result($"{answered.Count} PUT(s) to the presigned storage URL accepted ({string.Join(", ", answered.Select(x => x.Status).Distinct())}).");
        });

    public static readonly Check WithoutContentType = new(
        "upload.accepted.without-content-type", "An upload with no Content-Type header is accepted, its type taken from the file extension",
        new("UPL-06"), Scenario.UploadVariants, o =>
        {
            var x = Expect.Answered(o.Run, Probe.NoContentType);
            return new Violations().When(!x.Accepted, x, () => $"Expected: 2xx for {UploadLog.FileOf(x)} sent without Content-Type\nReceived: HTTP {x.Status}: {x.Excerpt(200)}").Result();
        });

    public static readonly Check ParallelChunksAllRecorded = new(
        "upload.parallel.all-recorded", $"{ScenarioDriver.ParallelChunks} chunks uploaded at once to one session are all recorded, once each, and listed in sequence order",
        new("ISO-03"), Scenario.ParallelUploads, o =>
        {
            var uploads = o.Run.Exchanges.Where(x => UploadLog.FileOf(x) is not null).ToList();
            if (uploads.Count < ScenarioDriver.ParallelChunks) throw o.Run.Unreached("the parallel uploads were not sent");
            if (uploads.FirstOrDefault(x => !x.GotResponse || x.Status == 429) is { } unanswered)
                throw new NotReached(Verdict.Inconclusive, $"an upload got no verdict-worthy answer ({unanswered.Summary()}), so the count cannot be compared");
            if (uploads.FirstOrDefault(x => UploadLog.ToStorage(x) && !x.Accepted) is { } refusedPut)
                throw new NotReached(Verdict.Inconclusive, $"the presigned storage URL refused a PUT ({refusedPut.Summary()}), so the count cannot be compared: see UPL-05");
            var end = Expect.NotRefusedCredential(o.Run.Need(o.Run.End, "End was not sent"));
            // Accepted is any 2xx (200 exactly is UPL-01's, 202 END-01's); the count End reports is END-06's: the list says what was recorded.
            if (!end.Accepted || end.JsonObject?["audio_files"] is not JsonArray)
                throw o.Run.Unreached($"End answered {end.Summary()} without an audio_files list to read (see END-01, END-02)");
            var v = new Violations();
            foreach (var x in uploads)
                v.When(!x.Accepted, x, () => $"Expected: 2xx for {UploadLog.FileOf(x)}, sent alongside {ScenarioDriver.ParallelChunks - 1} others\nReceived: HTTP {x.Status}: {x.Excerpt(150)}");
            // Entries that match no chunk sent to this session (another format, another session's) are ISO-02's finding.
            var sent = uploads.Select(u => UploadLog.FileOf(u)!).Select(f => (AudioFixtures.SequenceOf(f), Path.GetExtension(f))).ToHashSet();
            var own = new JsonArray(((JsonArray)end.JsonObject["audio_files"]!).Where(e => Rules.TextOf(e) is { } name
                && sent.Contains((AudioFixtures.SequenceOf(name), Path.GetExtension(name)))).Select(e => e!.DeepClone()).ToArray());
            var problem = UploadLog.OrderProblem(own, Enumerable.Range(0, ScenarioDriver.ParallelChunks).ToList());
            v.When(problem is not null, end,
                () => $"Expected: End's audio_files to list 0 … {ScenarioDriver.ParallelChunks - 1} once each, in sequence order\nReceived: {problem}");
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [RawChunkIs200, SuccessBody, BodyEchoes, MultipartAccepted, AdvertisedFormatsAccepted, OutOfOrderListedInSequence, PresignedPutAccepted, WithoutContentType, ParallelChunksAllRecorded];

    /// <summary>Every 200 upload answer of the run (the body UPL-02 describes), or a NotReached when there is none.</summary>
    private static List<(ScenarioRun Run, Http.Exchange X)> Answered200(Observations o)
    {
        var answered = UploadLog.Answers(o).Where(a => a.X.Status == 200).ToList();
        return answered.Count > 0 ? answered : throw new NotReached(Verdict.Inconclusive,
            UploadLog.Answers(o).Any(a => a.X.Accepted) ? "uploads were accepted, but none with 200 and a body (see UPL-01)" : "no upload was accepted in any scenario");
    }
}
