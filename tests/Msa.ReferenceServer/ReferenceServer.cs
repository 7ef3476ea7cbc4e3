using System.Collections.Frozen;
using System.Net;
using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;
using Msa.ReferenceServer.Webhooks;

namespace Msa.ReferenceServer;

/// <summary>Starts reference server instances. Instances share nothing, so any number can run side by side.</summary>
public static class ReferenceServer
{
    public static async Task<RunningReferenceServer> StartAsync(ReferenceServerOptions options, CancellationToken ct = default)
    {
        var settings = ServerSettings.From(options);
        var webhooks = (options.Webhooks ?? new WebhookDeliveryOptions()).Copy();
        webhooks.Validate();
        if (settings.Faults.Overlaps(WebhookDeliveryOptions.HttpsOnlyFaults)) webhooks.HttpsOnly = true;
        // No config-file watcher: each one costs an inotify instance (128 per user), and dozens of servers run at once in tests.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });

        // Configuration: only the options above; no appsettings.json or environment from the host process.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        // Logging: silent (the harness captures traffic itself).
        builder.Logging.ClearProviders();
        // Hosting: embedded, so no Ctrl+C handling of its own; loopback only.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var pki = settings.Https ? TlsSetup.Make(settings) : null;
        if (pki is null) builder.WebHost.UseUrls(settings.ListenUrl);
        else builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(settings.Host), settings.Port,
            listen => listen.UseHttps(https => TlsSetup.Configure(https, settings, pki.Leaf))));
        // State: this instance's settings, clock, sessions and fault injector.
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<RequestRateLimit>();
        builder.Services.AddSingleton<VariationInjector>();
        builder.Services.AddSingleton(webhooks).AddSingleton<WebhookRegistry>().AddSingleton<WebhookDispatcher>().AddSingleton<SessionEvents>();

        var app = builder.Build();
        // Variations: outermost, so they reshape the final bytes of every answer (a no-op without variations).
        app.UseVariations();
        // Errors: every failure, unknown route included, is the JSON error envelope.
        app.UseErrorEnvelopes();
        app.UseWebSockets();
        // Endpoints: discovery is public (below the base path, and at the host root too); everything under /sessions,
        // /templates and /webhooks needs the credential and passes the fault injector; /sessions also needs a supported MSA-Version.
        var root = settings.BasePath.Length == 0 ? (IEndpointRouteBuilder)app : app.MapGroup(settings.BasePath);
        root.MapDiscovery(DiscoveryLocation.BelowBasePath);
        if (settings.BasePath.Length > 0) app.MapDiscovery(DiscoveryLocation.HostRoot);
        root.MapGroup("/sessions")
            .RequireCredential()
            .RequireSupportedVersion()
            .WithFaultInjection()
            .MapSessions()
            .MapAudio()
            .WithWebhookEvents(webhooks);
        root.MapStream();
        app.MapStorage();
        root.MapTemplates();
        root.MapWebhooks(webhooks);

        try
        {
            await app.StartAsync(ct);
            var bound = new Uri(app.Urls.First());
            var effective = settings.ToOptions(bound.Port);
            effective.CaCertificatePem = pki?.CaPem;
            var serviceRoot = $"{bound.GetLeftPart(UriPartial.Authority)}{settings.BasePath}";
            var store = app.Services.GetRequiredService<SessionStore>();
            foreach (var id in settings.ExpiredSessions) store.AddExpired(id, serviceRoot, settings.SessionLifetime);
            effective.Webhooks = webhooks.Copy();
            return new RunningReferenceServer(app, effective, serviceRoot);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A started instance. Dispose to stop it.</summary>
public sealed class RunningReferenceServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int disposed;

    internal RunningReferenceServer(WebApplication app, ReferenceServerOptions options, string serviceRoot)
    {
        this.app = app;
        Options = options;
        ServiceRoot = serviceRoot;
    }

    /// <summary>Scheme, host, bound port and base path, e.g. http://127.0.0.1:41234/voice/v1 (no trailing slash).</summary>
    public string ServiceRoot { get; }

    /// <summary>A copy of the options this instance runs with: the bound port, the normalised base path.</summary>
    public ReferenceServerOptions Options { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}

/// <summary>The validated, immutable form of <see cref="ReferenceServerOptions"/> that one instance runs with.</summary>
internal sealed record ServerSettings(
    string Host, int Port, string BasePath, string Token, TimeSpan ProcessingTime, TimeSpan SessionLifetime, FrozenSet<Fault> Faults,
    FrozenSet<string> ExpiredSessions,
    ServerProfile Profile = ServerProfile.Ekascribe, FrozenSet<Variation>? Variations = null, bool Https = false)
{
    public FrozenSet<Variation> Variations { get; init; } = Variations ?? FrozenSet<Variation>.Empty;

    public bool Has(Variation variation) => Variations.Contains(variation);

    public string ListenUrl => $"{(Https ? "https" : "http")}://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";

    public bool MsaDraft => Profile == ServerProfile.MsaDraft;

    public bool Has(Fault fault) => Faults.Contains(fault);

    public static ServerSettings From(ReferenceServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = (options.Host ?? "").Trim();
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) host = "127.0.0.1";
        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address) || !IPAddress.IsLoopback(address))
            throw new ArgumentException($"Host must be a loopback address (127.0.0.1, ::1 or localhost), not '{options.Host}'.", nameof(options));
        if (options.Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "Port must be between 0 and 65535.");
        if (string.IsNullOrWhiteSpace(options.Token) || options.Token.Any(char.IsWhiteSpace))
            throw new ArgumentException("Token must be a non-empty string without whitespace.", nameof(options));
        if (options.ProcessingTime < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.ProcessingTime, "ProcessingTime must not be negative.");
        if (options.SessionLifetime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), options.SessionLifetime, "SessionLifetime must be positive.");
        var basePath = "/" + (options.BasePath ?? "").Trim().Trim('/');
        if (basePath == "/") basePath = "";
        if (basePath.IndexOfAny(['?', '#', ' ']) >= 0)
            throw new ArgumentException($"BasePath must be a plain path, not '{options.BasePath}'.", nameof(options));
        var expired = (options.ExpiredSessions ?? new HashSet<string>()).ToFrozenSet(StringComparer.Ordinal);
        if (expired.FirstOrDefault(id => id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) is { } bad)
            throw new ArgumentException($"Expired session ids must be 1 to 64 letters, digits, '_' or '-', not '{bad}'.", nameof(options));
        var faults = (options.Faults ?? new HashSet<Fault>()).ToFrozenSet();
        return new ServerSettings(address.ToString(), options.Port, basePath, options.Token, options.ProcessingTime,
            options.SessionLifetime, faults, expired, options.Profile,
            // A fault of presigned uploads exists only with them, so it switches them on.
            (options.Variations ?? new HashSet<Variation>()).Concat(faults.Overlaps(StorageEndpoints.Faults) ? [Variation.PresignedUploads] : []).ToFrozenSet(),
            options.Https);
    }

    public ReferenceServerOptions ToOptions(int boundPort) => new()
    {
        Host = Host,
        Port = boundPort,
        BasePath = BasePath,
        Token = Token,
        ProcessingTime = ProcessingTime,
        SessionLifetime = SessionLifetime,
        Profile = Profile,
        Faults = new HashSet<Fault>(Faults),
        Variations = new HashSet<Variation>(Variations),
        ExpiredSessions = new HashSet<string>(ExpiredSessions, StringComparer.Ordinal),
        Https = Https,
    };
}

/// <summary>An embedded server neither listens for Ctrl+C nor blocks start: its owner decides when it stops.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
