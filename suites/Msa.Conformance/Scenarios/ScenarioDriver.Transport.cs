using Msa.Conformance.Checks;

namespace Msa.Conformance.Scenarios;

/// <summary>The transport sequence (SEC-03 to SEC-08): one handshake per TLS version with the API host, 1.0 to 1.3.</summary>
public sealed partial class ScenarioDriver
{
    private async Task<ScenarioRun> TransportAsync(ScenarioRun run, CancellationToken ct)
    {
        try
        {
            var api = new Uri(target.BaseUrl);
            if (api.Scheme != Uri.UriSchemeHttps)
            {
                run.Stop(Verdict.NotApplicable, $"the API base {target.BaseUrl} is plain http (allowed on loopback only, DISC-13): there is no TLS to examine");
                return run;
            }
            foreach (var (name, protocol) in TlsProbe.Versions)
            {
                var handshake = await TlsProbe.HandshakeAsync(api, name, protocol, Options, ct);
                run.Tls.Add(handshake);
                run.Probes[TlsProbe.ProbeName(name)] = run.Record(TlsProbe.AsExchange(handshake, api));
            }
            foreach (var (name, flag) in LegacyTlsProbe.Versions)
            {
                var handshake = await LegacyTlsProbe.HandshakeAsync(api, name, flag, Options, ct);
                run.Tls.Add(handshake);
                run.Probes[TlsProbe.ProbeName(name)] = run.Record(TlsProbe.AsExchange(handshake, api));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { run.Stop(Verdict.Inconclusive, "the run was interrupted"); }
        finally { run.FinishedAt = DateTimeOffset.UtcNow; }
        return run;
    }
}
