using Msa.Conformance.Checks;

namespace Msa.Conformance.Scenarios;

/// <summary>The stream upload sequences (EkaScribe Stream Audio: CRE-32, UPL-WS-01…05, UPL-29).</summary>
public sealed partial class ScenarioDriver
{
    /// <summary>
    /// Only where discovery lists stream (ekascribe; the community draft has no streaming, CF-16): Create with
    /// upload_type stream, stream audio_0's speech over the upload_url, GET (still 202 initialized: the close does not
    /// start processing), for the binary run an HTTP chunk upload (to be refused), End, poll to the terminal state.
    /// </summary>
    private async Task<ScenarioRun> StreamAsync(ScenarioRun run, CancellationToken ct)
    {
        try
        {
            if (Options.ProtocolProfile != ProtocolProfile.Ekascribe)
            {
                run.Stop(Verdict.NotApplicable, "the community draft defines no stream upload (CF-16)");
                return run;
            }
            if (!Capabilities.From(target.Discovery).Declared(Feature.UploadMethod).Contains("stream"))
            {
                run.Stop(Verdict.NotApplicable, "discovery does not list stream in capabilities.upload_methods");
                return run;
            }
            var (format, rate) = run.Scenario switch { Scenario.StreamBinary => ("binary", 16000), Scenario.StreamJson => ("json", 16000), _ => ("json", 8000) };
            if (!await CreateAsync(run, Options.Templates.Take(1).ToArray(), ct, body =>
                {
                    body["upload_type"] = "stream";
                    body["communication_protocol"] = "websocket"; // CF-62: the pairing the harness assumes
                })) return run;
            run.UploadUrl = run.Create!.Text("upload_url");
            if (!Uri.TryCreate(run.UploadUrl, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss"))
            {
                run.Stop(Verdict.Inconclusive, $"Create gave upload_url {run.UploadUrl ?? "(none)"}, not a ws(s):// URL (see CRE-32), so nothing could be streamed");
                return run;
            }
            run.Stream = await StreamClient.SendAsync(run, url, format, rate, StreamClient.Pcm(AudioFixtures.Chunks()[0].Bytes, rate), Options, ct);
            if (!run.Stream.Opened)
            {
                run.Stop(Verdict.Inconclusive, $"the stream upload_url could not be opened ({run.Stream.OpenError}; see UPL-WS-01)");
                return run;
            }
            var afterClose = await GetAsync(run, "get after the stream closed", ct: ct);
            run.BeforeEnd.Add(afterClose);
            if (run.Scenario == Scenario.StreamBinary)
                run.Probes[Probe.ChunkToStreamSession] = await PostChunkAsync(run, $"upload {AudioFixtures.Chunks()[1].Renamed(90).FileName} over HTTP to a stream session",
                    target.SessionUrl(run.SessionId!) + "/audio", AudioFixtures.Chunks()[1].Renamed(90), ct: ct);
            var received = afterClose.JsonObject?["audio_files_received"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<int>(out var n) ? n : 1;
            var end = run.End = await SetUpEndAsync(run, received, ct);
            if (!end.Accepted)
            {
                run.Stop(Verdict.Inconclusive, $"End Session answered {Describe(end)}, not 202, so processing could not be observed (see END-01).");
                return run;
            }
            await PollUntilTerminalAsync(run, ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { run.Stop(Verdict.Inconclusive, "a request was cancelled"); }
        finally { run.FinishedAt = DateTimeOffset.UtcNow; }
        return run;
    }
}
