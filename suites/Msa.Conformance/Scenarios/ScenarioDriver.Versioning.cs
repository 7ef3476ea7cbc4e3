using Msa.Conformance.Checks;
using RestSharp;

namespace Msa.Conformance.Scenarios;

public sealed partial class ScenarioDriver
{
    /// <summary>The version this harness tests; requests name it in MSA-Version (spec 3.3).</summary>
    public const string TestedVersion = "0.1";

    /// <summary>A version no server supports, to see the refusal spec 3.3 describes.</summary>
    public const string UnsupportedVersion = "99.0";

    /// <summary>Create and GET without MSA-Version and with the tested version (to compare them), then Create with an unsupported one.</summary>
    private async Task<ScenarioRun> VersioningAsync(ScenarioRun run, CancellationToken ct)
    {
        try
        {
            var templates = Options.Templates.Take(1).ToArray();
            foreach (var version in new[] { null, TestedVersion })
            {
                var headers = VersionHeader(version);
                var created = run.Probes[ProbeNames.VersionedCreate(version)] =
                    await PostCreateAsync(run, ProbeNames.VersionedCreate(version), CreateBody(run.Scenario, templates), ct, headers);
                if (OwnSessionId(created) is { } id)
                    run.Probes[ProbeNames.VersionedRead(version)] = await ReadProbeSessionAsync(run, ProbeNames.VersionedRead(version), id, headers, ct);
            }
            run.Probes[ProbeNames.VersionedCreate(UnsupportedVersion)] = await PostCreateAsync(run,
                ProbeNames.VersionedCreate(UnsupportedVersion), CreateBody(run.Scenario, templates), ct, VersionHeader(UnsupportedVersion));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { run.Stop(Verdict.Inconclusive, "a request was cancelled"); }
        finally { run.FinishedAt = DateTimeOffset.UtcNow; }
        return run;
    }

    private static Dictionary<string, string>? VersionHeader(string? version) => version is null ? null : new() { ["MSA-Version"] = version };
}
