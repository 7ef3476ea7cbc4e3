using Msa.Conformance.Checks;

namespace Msa.Conformance.Scenarios;

/// <summary>The expiry sequence's two ways in (wait for expires_at, or a configured expired session) and what follows expiry.</summary>
public sealed partial class ScenarioDriver
{
    /// <summary>With --expired-session-id: read that session instead of creating one and waiting for its expires_at.</summary>
    private async Task<ScenarioRun> GivenExpiredAsync(ScenarioRun run, CancellationToken ct)
    {
        var id = run.SessionId = Options.ExpiredSessionId;
        var answer = await GetAsync(run, "get the configured expired session", ct: ct);
        if (!answer.GotResponse || answer.Status == 404)
        {
            run.Stop(Verdict.Inconclusive, $"the configured expired session '{id}' (--expired-session-id) answered {Describe(answer)}; "
                + "give the id of a session of this server that exists and has expired.");
            return run;
        }
        run.Terminal = answer;
        run.Timeline.Add(new(0, answer.Status, answer.BodyStatus, "configured expired session"));
        run.UploadUrl = answer.Text("upload_url") ?? target.SessionUrl(id) + "/audio";
        await AfterExpiryAsync(run, ct);
        return run;
    }

    /// <summary>
    /// How long until the server's clock has surely passed expires_at, read off Create's created_at (see ServerClock), plus
    /// 250 ms for the server to notice; without a readable created_at, expires_at on the harness clock plus 1.5 s.
    /// </summary>
    private static TimeSpan UntilExpired(ScenarioRun run, DateTimeOffset expiresAt) =>
        (ServerClock.LatestLocalTime(run, expiresAt) ?? expiresAt + TimeSpan.FromSeconds(1.25)) + TimeSpan.FromMilliseconds(250) - DateTimeOffset.UtcNow;

    /// <summary>
    /// After the first answer past expiry: more GETs (EXP-12), then an upload and an End, both to be refused (EXP-07/08/09),
    /// then one more GET, which must still be 410 (an End must not have started processing).
    /// </summary>
    private async Task AfterExpiryAsync(ScenarioRun run, CancellationToken ct)
    {
        for (var i = 0; i < Options.Polling.StabilityGets; i++)
            run.AfterTerminal.Add(await GetAsync(run, "get after terminal", ct: ct));
        var chunk = AudioFixtures.Chunks()[1];
        // A presigned storage URL answers for its provider, not for the session (EXP-07/08 say so).
        if (Rules.IsWebUrl(run.UploadUrl, out _) && !Http.PresignedUrl.Is(run.UploadUrl))
            run.Probes[Probe.UploadAfterExpiry] = await PostChunkAsync(run, $"upload {chunk.FileName} after expiry", run.UploadUrl!, chunk, ct: ct);
        run.Probes[Probe.EndAfterExpiry] = await PostEndAsync(run, "end after expiry", run.SessionId!, run.Uploads.Count, ct: ct);
        run.AfterTerminal.Add(run.Probes[Probe.GetAfterExpiredEnd] = await GetAsync(run, "get after the end attempt", ct: ct));
    }
}
