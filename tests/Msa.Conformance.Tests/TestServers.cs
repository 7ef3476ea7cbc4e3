using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

[assembly: Parallelizable(ParallelScope.Children)]
[assembly: LevelOfParallelism(8)]

namespace Msa.Conformance.Tests;

/// <summary>Reference servers and harness settings sized for fast self-tests: short processing, polling and (when a test must see it) expiry.</summary>
public static class TestServers
{
    /// <summary>Sessions expire this soon when a test must see expiry, so the expiry scenario ends within seconds.</summary>
    public static readonly TimeSpan ShortLifetime = TimeSpan.FromSeconds(2);

    /// <summary>Long enough that no scenario but expiry ever meets it, however loaded the machine (expiry then stops at once, beyond the wait budget).</summary>
    public static readonly TimeSpan LongLifetime = TimeSpan.FromHours(1);

    public static Task<RunningReferenceServer> StartAsync(ServerProfile profile, TimeSpan sessionLifetime, params Fault[] faults) =>
        StartAsync(profile, sessionLifetime, webhooks: true, faults);

    /// <summary>An ekascribe server with short-lived sessions, webhooks on or off.</summary>
    public static Task<RunningReferenceServer> StartAsync(bool webhooks, params Fault[] faults) =>
        StartAsync(ServerProfile.Ekascribe, ShortLifetime, webhooks, faults);

    public static Task<RunningReferenceServer> StartAsync(ServerProfile profile, TimeSpan sessionLifetime, bool webhooks, params Fault[] faults) =>
        StartAsync(profile, sessionLifetime, webhooks, faults, []);

    /// <summary>A conforming server of this profile showing these legitimate variations (tests/Msa.ReferenceServer/Variations.cs).</summary>
    public static Task<RunningReferenceServer> StartAsync(ServerProfile profile, TimeSpan sessionLifetime, IEnumerable<Variation> variations) =>
        StartAsync(profile, sessionLifetime, webhooks: true, [], variations);

    /// <summary>A clean server that registers only https webhook urls; the harness options for it listen on https (--webhook-https).</summary>
    public static Task<RunningReferenceServer> StartWithHttpsOnlyWebhooksAsync(ServerProfile profile) =>
        StartAsync(profile, CheckRuns.CleanRunLifetime, webhooks: true, [], [], httpsOnlyWebhooks: true);

    private static Task<RunningReferenceServer> StartAsync(ServerProfile profile, TimeSpan sessionLifetime, bool webhooks, Fault[] faults,
        IEnumerable<Variation> variations, bool httpsOnlyWebhooks = false) =>
        ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Token = "self-test-token-" + Guid.NewGuid().ToString("N")[..8],
            // Long enough that a request sent right after End (UPL-15) still lands before processing ends on a loaded machine.
            ProcessingTime = TimeSpan.FromMilliseconds(1000),
            SessionLifetime = sessionLifetime,
            Profile = profile,
            Webhooks = new() { Enabled = webhooks, RetryDelay = TimeSpan.FromMilliseconds(50), HttpsOnly = httpsOnlyWebhooks },
            Faults = faults.ToHashSet(),
            Variations = variations.ToHashSet(),
            // A transport fault exists only over https; every other run is plain http on loopback.
            Https = faults.Any(Msa.ReferenceServer.Http.TlsSetup.Faults.Contains),
        });

    /// <summary>An ekascribe server with short-lived sessions (the signature other tests have always used).</summary>
    public static Task<RunningReferenceServer> StartAsync(params Fault[] faults) => StartAsync(ServerProfile.Ekascribe, ShortLifetime, faults);

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
            SecondKey = server.Options.SecondKey,
            OtherTenantToken = server.Options.OtherTenantToken,
            Profile = HarnessOptions.ProfileName(HarnessProfile(server.Options.Profile)),
            ExpectedSessionLifetimeSeconds = (int)server.Options.SessionLifetime.TotalSeconds,
            Polling = new PollingOptions { IntervalMs = 100, DeadlineSeconds = deadlineSeconds, StabilityGets = 2 },
            Http = new HttpOptions { TimeoutSeconds = 10 },
            // 4 s for a missing event or a retry: a loaded 2-core machine running eight fault runs at once can take 2 s to send one.
            Webhooks = new WebhookOptions { PreflightSeconds = 5, DeliverySeconds = 4 },
            // The opt-in burst, so every fault run judges the rate-limit rows too (the reference server's limit is per URL).
            Burst = 200,
            // Stream uploads at the fastest pace allowed: the self-tests judge frames, not timing.
            StreamSpeed = 20,
        };
        // A server that takes only https webhook urls (its webhook faults switch that on) is tested with the receiver on https.
        options.Webhooks.Https = server.Options.Webhooks.HttpsOnly;
        if (server.Options.CaCertificatePem is { } ca)
        {
            options.CaCert = Path.Combine(Directory.CreateTempSubdirectory("msa-ca-").FullName, "ca.pem");
            File.WriteAllText(options.CaCert, ca);
            // A certificate a verifying client refuses (expired, another host's, self-signed): the run goes on as a vendor's would, with --insecure.
            options.Insecure = server.Options.Faults.Any(Msa.ReferenceServer.Http.TlsSetup.BreakValidation.Contains);
        }
        options.Validate();
        return options;
    }

    /// <summary>An ekascribe server with short-lived sessions and these faults, with a fresh set of scenarios.</summary>
    public static Task<(RunningReferenceServer Server, ScenarioSet Scenarios)> ScenariosAsync(int deadlineSeconds = 20, params Fault[] faults) =>
        ScenariosAsync(ServerProfile.Ekascribe, ShortLifetime, deadlineSeconds, faults);

    /// <summary>A server with this profile, session lifetime and faults, found through discovery, with a fresh set of scenarios.</summary>
    public static async Task<(RunningReferenceServer Server, ScenarioSet Scenarios)> ScenariosAsync(ServerProfile profile, TimeSpan sessionLifetime,
        int deadlineSeconds = 20, params Fault[] faults)
    {
        var server = await StartAsync(profile, sessionLifetime, faults);
        var target = await Target.ConnectAsync(OptionsFor(server, deadlineSeconds));
        return (server, new ScenarioSet(target));
    }

    /// <summary>A server with this profile, session lifetime and variations, found through discovery, with a fresh set of scenarios.</summary>
    public static async Task<(RunningReferenceServer Server, ScenarioSet Scenarios)> ScenariosAsync(ServerProfile profile, TimeSpan sessionLifetime,
        IEnumerable<Variation> variations, int deadlineSeconds = 20)
    {
        var server = await StartAsync(profile, sessionLifetime, variations);
        try
        {
            var target = await Target.ConnectAsync(OptionsFor(server, deadlineSeconds));
            return (server, new ScenarioSet(target));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }
}
