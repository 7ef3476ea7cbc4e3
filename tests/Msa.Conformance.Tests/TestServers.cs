using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

[assembly: Parallelizable(ParallelScope.Children)]
[assembly: LevelOfParallelism(8)]

namespace Msa.Conformance.Tests;

/// <summary>Reference servers and harness settings sized for fast self-tests: short processing, expiry and polling.</summary>
public static class TestServers
{
    public static Task<RunningReferenceServer> StartAsync(params Fault[] faults) => StartAsync(ServerProfile.Ekascribe, faults);

    public static Task<RunningReferenceServer> StartAsync(ServerProfile profile, params Fault[] faults) =>
        ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Token = "self-test-token-" + Guid.NewGuid().ToString("N")[..8],
            ProcessingTime = TimeSpan.FromMilliseconds(300),
            SessionLifetime = TimeSpan.FromSeconds(2),
            Profile = profile,
            Faults = faults.ToHashSet(),
        });

    /// <summary>The harness profile that tests a server of this profile.</summary>
    public static ProtocolProfile HarnessProfile(ServerProfile profile) =>
        profile == ServerProfile.MsaDraft ? ProtocolProfile.MsaDraft : ProtocolProfile.Ekascribe;

    public static ServerProfile ServerProfileFor(ProtocolProfile profile) =>
        profile == ProtocolProfile.MsaDraft ? ServerProfile.MsaDraft : ServerProfile.Ekascribe;

    /// <summary>Harness settings for this server: its profile, its session lifetime, fast polling.</summary>
    public static HarnessOptions OptionsFor(RunningReferenceServer server, int deadlineSeconds = 20)
    {
        var options = new HarnessOptions
        {
            Target = server.ServiceRoot,
            Token = server.Options.Token,
            Profile = HarnessOptions.ProfileName(HarnessProfile(server.Options.Profile)),
            ExpectedSessionLifetimeSeconds = (int)server.Options.SessionLifetime.TotalSeconds,
            Polling = new PollingOptions { IntervalMs = 100, DeadlineSeconds = deadlineSeconds, StabilityGets = 2 },
            Http = new HttpOptions { TimeoutSeconds = 10 },
        };
        options.Validate();
        return options;
    }

    /// <summary>A server with these faults, found through discovery, with a fresh set of scenarios.</summary>
    public static Task<(RunningReferenceServer Server, ScenarioSet Scenarios)> ScenariosAsync(int deadlineSeconds = 20, params Fault[] faults) =>
        ScenariosAsync(ServerProfile.Ekascribe, deadlineSeconds, faults);

    public static async Task<(RunningReferenceServer Server, ScenarioSet Scenarios)> ScenariosAsync(ServerProfile profile, int deadlineSeconds = 20, params Fault[] faults)
    {
        var server = await StartAsync(profile, faults);
        var target = await Target.ConnectAsync(OptionsFor(server, deadlineSeconds));
        return (server, new ScenarioSet(target));
    }
}
