namespace Msa.ReferenceServer;

/// <summary>Which reading of the protocol the server serves where the sources conflict.</summary>
public enum ServerProfile
{
    /// <summary>The EkaScribe seed: templates as a list, Bearer credential, discovery under the base path.</summary>
    Ekascribe,
    /// <summary>The community draft: templates as a map, X-API-Key credential (Bearer too), discovery also at the host root.</summary>
    MsaDraft,
}

/// <summary>How one reference server instance runs. Each instance takes its own copy; later changes have no effect.</summary>
public sealed class ReferenceServerOptions
{
    /// <summary>Interface to listen on: loopback only (127.0.0.1, ::1, localhost); anything else is an ArgumentException.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="RunningReferenceServer.ServiceRoot"/>).</summary>
    public int Port { get; set; } = 0;

    /// <summary>Path every endpoint lives below, discovery included.</summary>
    public string BasePath { get; set; } = "/voice/v1";

    /// <summary>The client's bearer token.</summary>
    public string Token { get; set; } = "reference-token";

    /// <summary>A second active key of the same client (AUTH-12): it works on the sessions of <see cref="Token"/> and the other way round.</summary>
    public string SecondKey => SecondKeyOf(Token);

    /// <summary>The key of another client (another tenant, ISO-04): valid, but it never sees this client's sessions.</summary>
    public string OtherTenantToken => OtherTenantTokenOf(Token);

    internal static string SecondKeyOf(string token) => token + ".second-key";
    internal static string OtherTenantTokenOf(string token) => token + ".other-tenant";

    /// <summary>Time from End Session to the terminal state.</summary>
    public TimeSpan ProcessingTime { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Time from created_at to expires_at.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Which profile's answers to give (--profile ekascribe|msa-draft).</summary>
    public ServerProfile Profile { get; set; } = ServerProfile.Ekascribe;
    /// <summary>
    /// Ids of sessions that exist from the start and have already expired (created, never ended, no audio), so a harness
    /// run with --expired-session-id can check expiry without waiting for a session lifetime.
    /// </summary>
    public ISet<string> ExpiredSessions { get; set; } = new HashSet<string>();
    /// <summary>Webhook registration and delivery (on by default); <c>Enabled = false</c> makes discovery say webhook_delivery false.</summary>
    public Webhooks.WebhookDeliveryOptions Webhooks { get; set; } = new();

    /// <summary>
    /// Serve https instead of http, with a certificate for the listening address signed by a CA this instance makes for
    /// itself; read the CA back from <see cref="CaCertificatePem"/> of the running server's options (a client's --ca-cert).
    /// </summary>
    public bool Https { get; set; }

    /// <summary>The CA of an https instance, PEM (set on RunningReferenceServer.Options only).</summary>
    public string? CaCertificatePem { get; set; }

    /// <summary>Defects to inject; empty means a fully conforming server.</summary>
    public ISet<Fault> Faults { get; set; } = new HashSet<Fault>();

    /// <summary>Legitimate behaviours to show instead of the clean server's own (<see cref="Variation"/>); none of them is a defect.</summary>
    public ISet<Variation> Variations { get; set; } = new HashSet<Variation>();
}
