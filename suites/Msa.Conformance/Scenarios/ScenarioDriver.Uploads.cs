using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Http;
using RestSharp;

namespace Msa.Conformance.Scenarios;

/// <summary>The upload and End sequences, and the request helpers they share with the access and expiry sequences.</summary>
public sealed partial class ScenarioDriver
{
    /// <summary>Chunks arrive as 2, 0, 1; then End, one more upload, a second End and a GET (UPL-14/15/18, END-09).</summary>
    private Task<ScenarioRun> OutOfOrderAsync(ScenarioRun run, CancellationToken ct) => GuardedAsync(run, async () =>
    {
        if (!await CreateAsync(run, Options.Templates.Take(1).ToArray(), ct)) return;
        var chunks = AudioFixtures.Chunks();
        foreach (var chunk in chunks.Skip(chunks.Count - 1).Concat(chunks.Take(chunks.Count - 1)))
            if (!await UploadAsync(run, chunk, ct)) return;
        if (!await EndAsync(run, chunks.Count, ct)) return;
        // Straight after End, while the session is still processing (UPL-15 wants session_ended, not session_completed).
        var late = chunks[0].Renamed(chunks.Count);
        if (!PresignedUrl.Is(run.UploadUrl)) // storage answers for its provider, not for the session (UPL-14 says so)
            run.Probes[Probe.UploadAfterEnd] = await PostChunkAsync(run, $"upload {late.FileName} after End", run.UploadUrl!, late, ct: ct);
        run.Probes[Probe.SecondEnd] = await PostEndAsync(run, "end again", run.SessionId!, chunks.Count, ct: ct);
        run.Probes[Probe.GetAfterEnd] = await GetAsync(run, "get after end", ct: ct);
    }, ct);

    /// <summary>
    /// Upload and End of an unknown id; one session per advertised format the fixtures cover (UPL-10); then one session
    /// for a multipart upload, an unsupported type and (where a limit is known) an oversize chunk. No session is ended.
    /// </summary>
    private Task<ScenarioRun> UploadVariantsAsync(ScenarioRun run, CancellationToken ct) => GuardedAsync(run, async () =>
    {
        var wav = AudioFixtures.Chunks()[0];
        var unknown = UnknownSessionId();
        run.Probes[Probe.UnknownIdUpload] = await PostChunkAsync(run, $"upload {wav.FileName} to an unknown id", target.SessionUrl(unknown) + "/audio", wav, ct: ct);
        run.Probes[Probe.UnknownIdEnd] = await PostEndAsync(run, "end of an unknown id", unknown, 0, ct: ct);

        run.Probes[Probe.Discovery] = run.Record(target.DiscoveryExchange);
        foreach (var format in AdvertisedFormats())
        {
            if (AudioFixtures.ForFormat(format) is not { } chunk) continue; // the check reports it as not covered
            if (!await CreateAsync(run, Options.Templates.Take(1).ToArray(), ct) || !HasUploadUrl(run)) return;
            run.Probes[Probe.FormatCreate(format)] = run.Create!;
            run.Probes[Probe.Format(format)] = await PostChunkAsync(run, $"upload {chunk.FileName} as {format}", run.UploadUrl!, chunk, ct: ct);
        }

        if (!await CreateAsync(run, Options.Templates.Take(1).ToArray(), ct) || !HasUploadUrl(run)) return;
        // What the scribe API's own upload endpoint answers; a storage host behind a presigned URL answers for itself (spec 7.8).
        if (!PresignedUrl.Is(run.UploadUrl))
        {
            run.Probes[Probe.Multipart] = run.Record(await Client.SendAsync($"upload {wav.FileName} as multipart/form-data", Method.Post, run.UploadUrl!,
                file: new FilePart("file", wav.FileName, wav.ContentType, wav.Bytes), ct: ct));
            var unsupported = wav.Renamed(1) with { ContentType = Probe.UnsupportedAudioType };
            run.Probes[Probe.UnsupportedType] = await PostChunkAsync(run, $"upload {unsupported.FileName} as {unsupported.ContentType}", run.UploadUrl!, unsupported, ct: ct);
            // Above EkaScribe's 10 MB: the size spec 7.8 leaves to the storage provider, so an msa-draft server may take it.
            var big = wav.Renamed(2) with { Bytes = SilentWav(Probe.EkascribeChunkLimitBytes + 512 * 1024) };
            run.Probes[Probe.Oversize] = await PostChunkAsync(run, $"upload {big.FileName} of {big.Bytes.Length / 1048576.0:0.0} MiB", run.UploadUrl!, big, ct: ct);
            if (Options.Profile == "ekascribe")
            {
                var untyped = wav.Renamed(3) with { ContentType = "" };
                run.Probes[Probe.NoContentType] = await PostChunkAsync(run, $"upload {untyped.FileName} without Content-Type", run.UploadUrl!, untyped, ct: ct);
            }
        }
        await SimultaneousEndsAsync(run, ct);
    }, ct);

    /// <summary>One chunk uploaded, End declares two, then polled to the terminal state (END-16).</summary>
    private Task<ScenarioRun> EndMismatchAsync(ScenarioRun run, CancellationToken ct) => GuardedAsync(run, async () =>
    {
        if (!await CreateAsync(run, Options.Templates.Take(1).ToArray(), ct)) return;
        if (!await UploadAsync(run, AudioFixtures.Chunks()[0], ct)) return;
        if (!await EndAsync(run, 2, ct)) return;
        await PollUntilTerminalAsync(run, ct);
    }, ct);

    /// <summary>Six chunks sent at once to one session, then End declaring six; not polled (ISO-03 reads End's answer).</summary>
    private Task<ScenarioRun> ParallelUploadsAsync(ScenarioRun run, CancellationToken ct) => GuardedAsync(run, async () =>
    {
        if (!await CreateAsync(run, Options.Templates.Take(1).ToArray(), ct) || !HasUploadUrl(run)) return;
        var wav = AudioFixtures.Chunks()[0];
        await Task.WhenAll(Enumerable.Range(0, ParallelChunks)
            .Select(i => PostChunkAsync(run, $"upload {wav.Renamed(i).FileName} (one of {ParallelChunks} at once)", run.UploadUrl!, wav.Renamed(i), ct: ct)));
        await EndAsync(run, ParallelChunks, ct);
    }, ct);

    /// <summary>Runs a sequence, turning a cancelled request into a stop and always stamping the end time.</summary>
    private static async Task<ScenarioRun> GuardedAsync(ScenarioRun run, Func<Task> steps, CancellationToken ct)
    {
        try { await steps(); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { run.Stop(Verdict.Inconclusive, "a request was cancelled"); }
        finally { run.FinishedAt = DateTimeOffset.UtcNow; }
        return run;
    }

    /// <summary>End with {"audio_files_sent": n} as run.End; false (and the run stopped) unless it was accepted (202 exactly is END-01's).</summary>
    private async Task<bool> EndAsync(ScenarioRun run, int sent, CancellationToken ct)
    {
        var end = run.End = await SetUpEndAsync(run, sent, ct);
        if (end.Accepted) return true;
        run.Stop(Verdict.Inconclusive, $"End Session answered {Describe(end)}, not 202, so the rest of this scenario could not run (see END-01).");
        return false;
    }

    /// <summary>
    /// The End a scenario needs to go on: a 5xx or no answer is tried again like a set-up Create (every try kept, the
    /// first failure still counting for END-01 and ERR-05).
    /// </summary>
    private Task<Exchange> SetUpEndAsync(ScenarioRun run, int sent, CancellationToken ct) =>
        WithRetriesAsync(run, "end", name => Client.SendAsync(name, Method.Post, target.SessionUrl(run.SessionId!) + "/end",
            new { audio_files_sent = sent }, ct: ct), ct);

    private async Task<Exchange> PostEndAsync(ScenarioRun run, string step, string sessionId, int sent, bool auth = true,
        string? authOverride = null, CancellationToken ct = default) =>
        run.Record(await Client.SendAsync(step, Method.Post, target.SessionUrl(sessionId) + "/end", new { audio_files_sent = sent },
            auth: auth, authOverride: authOverride, ct: ct));

    /// <summary>One chunk sent as <see cref="SendChunkAsync"/> sends it, recorded, with no effect on the run's state.</summary>
    private async Task<Exchange> PostChunkAsync(ScenarioRun run, string step, string uploadUrl, AudioChunk chunk, bool auth = true,
        string? authOverride = null, CancellationToken ct = default) =>
        run.Record(await SendChunkAsync(step, uploadUrl, chunk, auth, authOverride, ct));

    /// <summary>
    /// Raw bytes POSTed to {uploadUrl}/{file_name} (EkaScribe); to a presigned storage URL, PUT to the object URL
    /// (spec 7.4) without the API's credential, which the storage host neither needs nor should see (UPL-05).
    /// </summary>
    private Task<Exchange> SendChunkAsync(string step, string uploadUrl, AudioChunk chunk, bool auth = true, string? authOverride = null,
        CancellationToken ct = default) =>
        PresignedUrl.Is(uploadUrl)
            ? Client.SendAsync(step, Method.Put, PresignedUrl.ObjectUrl(uploadUrl, chunk.FileName), raw: chunk.Bytes, rawContentType: chunk.ContentType,
                auth: false, ct: ct)
            : Client.SendAsync(step, Method.Post, $"{uploadUrl.TrimEnd('/')}/{chunk.FileName}", raw: chunk.Bytes,
                rawContentType: chunk.ContentType, auth: auth, authOverride: authOverride, ct: ct);

    private static bool HasUploadUrl(ScenarioRun run)
    {
        if (Rules.IsWebUrl(run.UploadUrl, out _)) return true;
        run.Stop(Verdict.Inconclusive, $"Create Session gave no absolute upload_url ('{run.UploadUrl}'), so no audio could be sent.");
        return false;
    }

    /// <summary>Discovery's capabilities.audio_formats (strings only).</summary>
    private IEnumerable<string> AdvertisedFormats() =>
        (target.Discovery["capabilities"]?["audio_formats"] as JsonArray ?? []).OfType<JsonValue>()
            .Where(v => v.GetValueKind() == System.Text.Json.JsonValueKind.String).Select(v => v.GetValue<string>()).Distinct();

    private static string UnknownSessionId() => "ses_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>A valid 16 kHz mono 16-bit WAV of silence, `size` bytes long: a real file, only too big.</summary>
    private static byte[] SilentWav(long size)
    {
        var bytes = new byte[size];
        var data = (int)size - 44;
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), data + 36);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);    // fmt chunk size
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 1);     // PCM
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), 1);     // mono
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), 16000); // sample rate
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), 32000); // byte rate
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), 2);     // block align
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), 16);    // bits per sample
        "data"u8.CopyTo(bytes.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), data);
        return bytes;
    }
}
