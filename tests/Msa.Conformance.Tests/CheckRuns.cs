using Msa.Conformance.Checks;
using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>
/// Every check of the catalogue run against one server, the way CleanServerTests runs them: one scenario set, every
/// scenario started at once, each check evaluated on the shared observations. Shared by the tests that compare a
/// server's verdicts with the clean server's.
/// </summary>
internal static class CheckRuns
{
    /// <summary>Sessions live this long: as CleanServerTests', short enough that 410 is seen, with headroom to reach End first.</summary>
    public static readonly TimeSpan CleanRunLifetime = TimeSpan.FromSeconds(4);

    /// <summary>
    /// A full run loads the machine; a few at a time (variations, kill and precision matrices alike) keep the in-process
    /// servers answering and sessions from expiring before End on 2 cores.
    /// </summary>
    public static readonly SemaphoreSlim Slots = new(4);

    /// <summary>What a check gives against the clean reference server of this profile (CleanServerTests asserts exactly this).</summary>
    /// <summary>A webhook check's verdict against the clean server with the receiver on https: passed, the https-only rows too.</summary>
    public static Verdict CleanVerdictOverHttps(Check check) =>
        check == Msa.Conformance.Checks.Webhooks.WebhookManagement.PlainHttpRefused || check == Msa.Conformance.Checks.Webhooks.WebhookDelivery.HttpsOnly
            ? Verdict.Passed : CleanVerdict(check, ServerProfile.Ekascribe);

    public static Verdict CleanVerdict(Check check, ServerProfile profile) =>
        !check.AppliesTo(TestServers.HarnessProfile(profile)) || KillMatrix.NotApplicableOnReferenceServer.ContainsKey(check.Id)
            ? Verdict.NotApplicable : Verdict.Passed;

    /// <summary>Runs every scenario against the server the factory starts and evaluates every check; the server is stopped after.</summary>
    public static async Task<(IReadOnlyDictionary<string, CheckResult> Results, IReadOnlyList<ScenarioRun> Runs)> EvaluateAllAsync(
        Func<Task<(RunningReferenceServer Server, ScenarioSet Scenarios)>> start)
    {
        await Slots.WaitAsync();
        try
        {
            var (server, scenarios) = await start();
            try
            {
                scenarios.StartAll();
                var results = await Task.WhenAll(Catalogue.All.Select(async c => (c.Id, Result: await scenarios.EvaluateAsync(c))));
                var runs = await Task.WhenAll(ScenarioSet.Sequences.Select(scenarios.Get));
                return (results.ToDictionary(r => r.Id, r => r.Result), runs);
            }
            finally
            {
                await scenarios.StopAsync(TimeSpan.FromSeconds(10));
                scenarios.Target.Dispose();
                await server.DisposeAsync();
            }
        }
        finally
        {
            Slots.Release();
        }
    }
}
