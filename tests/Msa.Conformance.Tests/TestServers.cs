using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

[assembly: Parallelizable(ParallelScope.Children)]
[assembly: LevelOfParallelism(8)]

namespace Msa.Conformance.Tests;

/// <summary>Reference servers and harness settings sized for fast self-tests: short processing, expiry and polling.</summary>
public static class TestServers
{
    public static Task<RunningReferenceServer> StartAsync(params Fault[] faults) => StartAsync(webhooks: true, faults);

    public static Task<RunningReferenceServer> StartAsync(bool webhooks, params Fault[] faults) =>
        ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Token = "self-test-token-" + Guid.NewGuid().ToString("N")[..8],
            ProcessingTime = TimeSpan.FromMilliseconds(300),
            SessionLifetime = TimeSpan.FromSeconds(2),
            Webhooks = new() { Enabled = webhooks, RetryDelay = TimeSpan.FromMilliseconds(50) },
            Faults = faults.ToHashSet(),
        });

    public static HarnessOptions OptionsFor(RunningReferenceServer server, int deadlineSeconds = 20)
    {
        var options = new HarnessOptions
        {
            Target = server.ServiceRoot,
            Token = server.Options.Token,
            Polling = new PollingOptions { IntervalMs = 100, DeadlineSeconds = deadlineSeconds, StabilityGets = 2 },
            Http = new HttpOptions { TimeoutSeconds = 10 },
            Webhooks = new WebhookOptions { PreflightSeconds = 5, DeliverySeconds = 2 },
        };
        options.Validate();
        return options;
    }

    /// <summary>A server with these faults, found through discovery, with a fresh set of scenarios.</summary>
    public static async Task<(RunningReferenceServer Server, ScenarioSet Scenarios)> ScenariosAsync(int deadlineSeconds = 20, params Fault[] faults)
    {
        var server = await StartAsync(faults);
        var target = await Target.ConnectAsync(OptionsFor(server, deadlineSeconds));
        return (server, new ScenarioSet(target));
    }
}
