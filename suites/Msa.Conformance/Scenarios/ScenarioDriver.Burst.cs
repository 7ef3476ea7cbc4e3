using Msa.Conformance.Checks;
using RestSharp;

namespace Msa.Conformance.Scenarios;

/// <summary>The opt-in request burst (--burst N) that shows the rate limit (SEC-09, SEC-10, ERR-11, ERR-12, ISO-11).</summary>
public sealed partial class ScenarioDriver
{
    private const int BurstConnections = 8;

    /// <summary>The session the burst reads: the completed scenario's, set once every other scenario has finished.</summary>
    internal string? BurstSessionId { get; set; }
    /// <summary>The longest Retry-After the harness waits out before it lets the run end.</summary>
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// N GETs of the completed scenario's session, 8 at a time, stopping at the first 429 (nothing past it is needed); then, with
    /// another tenant's key, one GET of the same URL (a per-client limit must not refuse it); then the Retry-After of the
    /// first 429 is waited out, so whatever follows the run is not refused because of it.
    /// </summary>
    private Task<ScenarioRun> BurstAsync(ScenarioRun run, CancellationToken ct)
    {
        if (Options.Burst == 0)
        {
            run.Stop(Verdict.NotApplicable, "no request burst was asked for: --burst N sends N GETs at once to see the rate limit, and is never sent uninvited");
            return Task.FromResult(run);
        }
        if (BurstSessionId is not { } id)
        {
            run.Stop(Verdict.Inconclusive, "no session of this client to read: the Completed scenario has none of its own, so the burst was not sent");
            return Task.FromResult(run);
        }
        return GuardedAsync(run, async () =>
        {
            var url = target.SessionUrl(id);
            var next = 0;
            Http.Exchange? limited = null;
            async Task SendUntilLimited()
            {
                for (var n = Interlocked.Increment(ref next); n <= Options.Burst && Volatile.Read(ref limited) is null; n = Interlocked.Increment(ref next))
                {
                    var x = run.Record(await Client.SendAsync(Probe.BurstGet(n, Options.Burst), Method.Get, url, ct: ct));
                    if (x.Status == 429) Interlocked.CompareExchange(ref limited, x, null);
                }
            }
            await Task.WhenAll(Enumerable.Range(0, BurstConnections).Select(_ => SendUntilLimited()));
            if (limited is null) return;
            run.Probes[Probe.FirstRateLimited] = limited;
            if (Options.OtherTenantToken.Length > 0)
                run.Probes[Probe.OtherTenantDuringBurst] = run.Record(await Client.SendAsync(Probe.OtherTenantDuringBurst, Method.Get, url,
                    authOverride: Options.OtherTenantToken, ct: ct));
            if (RetryAfter(limited) is { } wait) await Task.Delay(wait < LongestRetryAfter ? wait : LongestRetryAfter, ct);
        }, ct);
    }
}
