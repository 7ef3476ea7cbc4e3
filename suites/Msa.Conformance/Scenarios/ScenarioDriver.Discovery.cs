using Msa.Conformance.Checks;
using RestSharp;

namespace Msa.Conformance.Scenarios;

public sealed partial class ScenarioDriver
{
    /// <summary>
    /// Records how discovery was found (Target.ConnectAsync already fetched it), then asks without a credential at the
    /// run's discovery URL, below the API base (EkaScribe's place) and at the host root (the community draft's place).
    /// </summary>
    private async Task<ScenarioRun> DiscoveryAsync(ScenarioRun run, CancellationToken ct)
    {
        try
        {
            foreach (var x in target.DiscoveryAttempts) run.Record(x);
            run.Probes[ProbeNames.Discovery] = target.DiscoveryExchange;
            foreach (var note in target.Notes) Progress?.Invoke($"Discovery: {note}");
            foreach (var (probe, url) in new[]
                     {
                         (ProbeNames.DiscoveryWithoutCredential, target.DiscoveryUrl),
                         (ProbeNames.DiscoveryBelowBaseUrl, Target.DiscoveryUrlUnder(target.BaseUrl)),
                         (ProbeNames.DiscoveryAtHostRoot, Target.HostRootDiscoveryUrl(target.BaseUrl)),
                     })
            {
                var x = run.Probes[probe] = run.Record(await Client.SendAsync(probe, Method.Get, url, auth: false, ct: ct));
                // Where the document is served is asked with the credential too when the anonymous request is refused: being public is DISC-04's.
                if (probe != ProbeNames.DiscoveryWithoutCredential && x.Status is 401 or 403)
                    run.Probes[probe] = run.Record(await Client.SendAsync(probe + " with credential", Method.Get, url, ct: ct));
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { run.Stop(Verdict.Inconclusive, "a request was cancelled"); }
        finally { run.FinishedAt = DateTimeOffset.UtcNow; }
        return run;
    }
}
