using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Msa.Conformance;

public enum AuthScheme { Bearer, XApiKey }

/// <summary>Which reading of the protocol a run enforces where the sources conflict (requirements.md, "Conflicts and positions").</summary>
public enum ProtocolProfile
{
    /// <summary>The EkaScribe seed and pages (default): templates as a list, Bearer credential, discovery under the base path.</summary>
    Ekascribe,
    /// <summary>The community draft: templates as a map, X-API-Key credential, discovery at the host root.</summary>
    MsaDraft,
}

/// <summary>
/// Every setting of a run. Precedence, lowest first: these defaults, appsettings.json, MSA_-prefixed environment
/// variables (MSA_Polling__DeadlineSeconds), the command line (--poll-deadline). The suites read the same keys.
/// </summary>
public sealed class HarnessOptions
{
    /// <summary>Service root: discovery is {Target}/.well-known/medscribealliance. Empty = the embedded reference server.</summary>
    public string Target { get; set; } = "";
    /// <summary>Overrides discovery's endpoints.base_url (MSA_BaseUrl, --base-url).</summary>
    public string BaseUrl { get; set; } = "";
    /// <summary>The credential (MSA_Token). Never read from the command line; see TokenFile.</summary>
    public string Token { get; set; } = "";
    /// <summary>
    /// Optional: a second active key of the same client (MSA_SecondKey), for AUTH-12. Never read from the command line.
    /// </summary>
    public string SecondKey { get; set; } = "";
    /// <summary>
    /// Optional: a valid key of another client, another tenant (MSA_OtherTenantToken), for ISO-04: it must never see this
    /// client's sessions. Never read from the command line.
    /// </summary>
    public string OtherTenantToken { get; set; } = "";
    /// <summary>A file holding the credential (--token-file, MSA_TokenFile).</summary>
    public string TokenFile { get; set; } = "";
    /// <summary>A file holding <see cref="SecondKey"/> (--second-token-file, MSA_SecondKeyFile).</summary>
    public string SecondKeyFile { get; set; } = "";
    /// <summary>A file holding <see cref="OtherTenantToken"/> (--other-tenant-token-file, MSA_OtherTenantTokenFile).</summary>
    public string OtherTenantTokenFile { get; set; } = "";
    /// <summary>Which header carries the credential: bearer (Authorization: Bearer) or x-api-key (--auth); empty = the profile's (ekascribe: bearer, msa-draft: x-api-key).</summary>
    public string Auth { get; set; } = "";
    /// <summary>ekascribe (the seed, default) or msa-draft (--profile).</summary>
    public string Profile { get; set; } = "ekascribe";
    /// <summary>Where reports go (--report-dir); empty = the checkout's reports/ folder.</summary>
    public string ReportDir { get; set; } = "";
    /// <summary>Inconclusive results fail the run (--strict).</summary>
    public bool Strict { get; set; }
    /// <summary>Template ids the server knows; the first two are requested by the happy-path scenario.</summary>
    public string[] Templates { get; set; } = ["eka_emr_template", "clinical_notes_template"];
    /// <summary>A template id the server does not know, used to drive a session to 206 partial.</summary>
    public string UnknownTemplate { get; set; } = "msa_conformance_unknown_template";
    /// <summary>
    /// A session of the server under test that has already expired (--expired-session-id, MSA_ExpiredSessionId). When
    /// set, the expiry checks read it instead of creating a session and waiting for its expires_at.
    /// </summary>
    public string ExpiredSessionId { get; set; } = "";
    /// <summary>Model requested at Create (empty = let the server choose).</summary>
    public string Model { get; set; } = "";
    /// <summary>Expected time from created_at to expires_at (EXP-01: about one hour on EkaScribe); the embedded server's is shorter.</summary>
    public int ExpectedSessionLifetimeSeconds { get; set; } = 3600;
    /// <summary>Show transcripts and template data in full in reports (patient data!); default masks them.</summary>
    public bool FullEvidence { get; set; }
    /// <summary>Accept any TLS certificate (--insecure). Off by default; every report states it when on.</summary>
    public bool Insecure { get; set; }
    /// <summary>A PEM file of CA certificates to trust besides the system's (--ca-cert FILE): a private CA without --insecure.</summary>
    public string CaCert { get; set; } = "";
    /// <summary>The openssl command the TLS 1.0/1.1 probe runs (SEC-05): a name looked up on PATH, or a path.</summary>
    public string OpenSsl { get; set; } = "openssl";
    /// <summary>The certificates of <see cref="CaCert"/>, read by Validate.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public X509Certificate2Collection CaCertificates { get; set; } = [];
    /// <summary>A PEM ECDSA P-256 private key that signs evidence-manifest.txt (--sign-key FILE); never copied into any report.</summary>
    public string SignKey { get; set; } = "";
    /// <summary>Run the suites this many times against one target and report checks whose verdict changed (--repeat).</summary>
    public int Repeat { get; set; } = 1;
    /// <summary>
    /// Opt-in (--burst N): after every other scenario, N GETs of the completed session, 8 at a time, to see the rate
    /// limit (SEC-09, SEC-10, ERR-11, ERR-12, ISO-11). 0 = never sent: a vendor's server gets no burst uninvited.
    /// </summary>
    public int Burst { get; set; }
    /// <summary>How many times faster than real time stream uploads send their 100 ms frames (--stream-speed; 1 = like a live microphone).</summary>
    public int StreamSpeed { get; set; } = 4;
    public PollingOptions Polling { get; set; } = new();
    public EmbeddedServerOptions Embedded { get; set; } = new();
    public HttpOptions Http { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();

    public ProtocolProfile ProtocolProfile => Profile == ProfileName(ProtocolProfile.MsaDraft) ? ProtocolProfile.MsaDraft : ProtocolProfile.Ekascribe;

    /// <summary>The profile as written on the command line and in reports.</summary>
    public static string ProfileName(ProtocolProfile profile) => profile == ProtocolProfile.MsaDraft ? "msa-draft" : "ekascribe";

    public AuthScheme AuthScheme => Auth.Trim().ToLowerInvariant() switch
    {
        "" => ProtocolProfile == ProtocolProfile.MsaDraft ? AuthScheme.XApiKey : AuthScheme.Bearer,
        "bearer" => AuthScheme.Bearer,
        "x-api-key" or "xapikey" or "apikey" => AuthScheme.XApiKey,
        _ => throw new ConfigurationError($"Auth must be 'bearer' or 'x-api-key', not '{Auth}'."),
    };

    /// <summary>Builds the options from the standard sources; `args` are command-line switches as run.sh passes them.</summary>
    public static HarnessOptions Load(string[] args, string? baseDirectory = null)
    {
        var dir = baseDirectory ?? AppContext.BaseDirectory;
        IConfigurationRoot config = new ConfigurationBuilder()
            .SetBasePath(dir)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("MSA_")
            .AddCommandLine(args, SwitchMappings)
            .Build();
        var options = new HarnessOptions();
        try { config.Bind(options); }
        catch (InvalidOperationException e) { throw new ConfigurationError(e.Message); }
        // The binder appends a configured list to the pre-filled default; a configured list replaces it instead.
        if (ConfiguredList(config, nameof(Templates)) is { } templates) options.Templates = templates;
        options.Validate();
        return options;
    }

    /// <summary>
    /// A list setting as the highest-priority source that sets it gives it, whole (command line, then MSA_ variables,
    /// then appsettings.json): indexed entries (Templates:0, MSA_Templates__0, a JSON array) or one comma-separated
    /// value (--templates a,b; MSA_Templates=a,b). Null when no source sets it. Entries are never merged across sources.
    /// </summary>
    private static string[]? ConfiguredList(IConfigurationRoot config, string key)
    {
        foreach (var provider in config.Providers.Reverse())
        {
            if (provider.TryGet(key, out var one) && one is not null)
                return one.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var indexes = provider.GetChildKeys([], key).Distinct().OrderBy(k => int.TryParse(k, out var n) ? n : int.MaxValue).ToList();
            if (indexes.Count > 0)
                return indexes.Select(k => provider.TryGet($"{key}:{k}", out var v) ? (v ?? "").Trim() : "").ToArray();
        }
        return null;
    }

    /// <summary>The command-line switches and the setting each one sets; run.sh --help prints this table.</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--target"] = nameof(Target),
        ["--base-url"] = nameof(BaseUrl),
        ["--token-file"] = nameof(TokenFile),
        ["--second-token-file"] = nameof(SecondKeyFile),
        ["--other-tenant-token-file"] = nameof(OtherTenantTokenFile),
        ["--auth"] = nameof(Auth),
        ["--profile"] = nameof(Profile),
        ["--report-dir"] = nameof(ReportDir),
        ["--poll-deadline"] = "Polling:DeadlineSeconds",
        ["--poll-interval-ms"] = "Polling:IntervalMs",
        ["--request-timeout"] = "Http:TimeoutSeconds",
        ["--templates"] = nameof(Templates),
        ["--sign-key"] = nameof(SignKey),
        ["--ca-cert"] = nameof(CaCert),
        ["--openssl"] = nameof(OpenSsl),
        ["--unknown-template"] = nameof(UnknownTemplate),
        ["--expired-session-id"] = nameof(ExpiredSessionId),
        ["--model"] = nameof(Model),
        ["--repeat"] = nameof(Repeat),
        ["--expected-session-lifetime"] = nameof(ExpectedSessionLifetimeSeconds),
        ["--webhook-public-url"] = "Webhooks:PublicUrl",
        ["--burst"] = nameof(Burst),
        ["--stream-speed"] = nameof(StreamSpeed),
        ["--webhook-listen"] = "Webhooks:ListenAddress",
        ["--webhook-port"] = "Webhooks:ListenPort",
        ["--webhook-wait"] = "Webhooks:DeliverySeconds",
        ["--webhook-cert"] = "Webhooks:Certificate",
    };

    public void Validate()
    {
        _ = AuthScheme;
        if (Profile is not ("ekascribe" or "msa-draft"))
            throw new ConfigurationError($"Profile must be 'ekascribe' or 'msa-draft', not '{Profile}'.");
        foreach (var (name, value) in new[] { ("Target", Target), ("BaseUrl", BaseUrl) })
            if (value.Length > 0 && !(Uri.TryCreate(value, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
                throw new ConfigurationError($"{name} must be an absolute http(s) URL, not '{value}'.");
        if (Polling.IntervalMs is < 50 or > 60_000)
            throw new ConfigurationError($"Polling:IntervalMs must be between 50 and 60000, not {Polling.IntervalMs}.");
        if (Polling.DeadlineSeconds is < 1 or > 86_400)
            throw new ConfigurationError($"Polling:DeadlineSeconds must be between 1 and 86400, not {Polling.DeadlineSeconds}.");
        if (Http.TimeoutSeconds is < 1 or > 600)
            throw new ConfigurationError($"Http:TimeoutSeconds must be between 1 and 600, not {Http.TimeoutSeconds}.");
        if (Repeat is < 1 or > 20)
            throw new ConfigurationError($"Repeat must be between 1 and 20, not {Repeat}.");
        if (ExpectedSessionLifetimeSeconds is < 1 or > 7 * 86_400)
            throw new ConfigurationError($"ExpectedSessionLifetimeSeconds must be between 1 and 604800, not {ExpectedSessionLifetimeSeconds}.");
        ExpiredSessionId = ExpiredSessionId.Trim();
        Webhooks.Validate();
        if (StreamSpeed is < 1 or > 20)
            throw new ConfigurationError($"StreamSpeed (--stream-speed) must be between 1 (real time) and 20, not {StreamSpeed}.");
        if (Burst != 0 && Burst is < 10 or > 2000)
            throw new ConfigurationError($"Burst (--burst) must be between 10 and 2000 requests (or 0, no burst), not {Burst}.");
        if (Templates.Length == 0 || Templates.Any(string.IsNullOrWhiteSpace))
            throw new ConfigurationError("Templates must name at least one template id the server knows.");
        if (CaCert.Length > 0) CaCertificates = ReadCaCertificates(CaCert);
        Token = ReadCredential(TokenFile, "Token file", "--token-file") ?? Token;
        SecondKey = ReadCredential(SecondKeyFile, "Second key file", "--second-token-file") ?? SecondKey;
        OtherTenantToken = ReadCredential(OtherTenantTokenFile, "Other tenant's key file", "--other-tenant-token-file") ?? OtherTenantToken;
    }

    /// <summary>A credential read from its file (trimmed), null when no file is set; a missing or empty file is a configuration error.</summary>
    private static string? ReadCredential(string file, string what, string option)
    {
        if (file.Length == 0) return null;
        if (!File.Exists(file)) throw new ConfigurationError($"{what} '{file}' ({option}) does not exist.");
        var credential = File.ReadAllText(file).Trim();
        return credential.Length > 0 ? credential : throw new ConfigurationError($"{what} '{file}' ({option}) is empty.");
    }

    private static X509Certificate2Collection ReadCaCertificates(string file)
    {
        if (!File.Exists(file)) throw new ConfigurationError($"CA certificate file '{file}' (--ca-cert) does not exist.");
        var certificates = new X509Certificate2Collection();
        try { certificates.ImportFromPemFile(file); }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ConfigurationError($"CA certificate file '{file}' (--ca-cert) is not readable PEM: {e.Message}");
        }
        if (certificates.Count == 0)
            throw new ConfigurationError($"CA certificate file '{file}' (--ca-cert) holds no '-----BEGIN CERTIFICATE-----' block.");
        return certificates;
    }

    /// <summary>The header the credential travels in, as --auth spells it (after the profile's default is applied).</summary>
    public string EffectiveAuth => AuthScheme == AuthScheme.Bearer ? "bearer" : "x-api-key";

    /// <summary>The effective settings with the secret replaced, for reports.</summary>
    public string ToRedactedJson() => JsonSerializer.Serialize(new
    {
        Target, BaseUrl, Token = Token.Length > 0 ? "[REDACTED]" : "", SecondKey = SecondKey.Length > 0 ? "[REDACTED]" : "",
        OtherTenantToken = OtherTenantToken.Length > 0 ? "[REDACTED]" : "", Auth = EffectiveAuth, Profile, ReportDir, Strict, Templates,
        UnknownTemplate, ExpiredSessionId, Model, ExpectedSessionLifetimeSeconds, FullEvidence, Insecure, CaCert, OpenSsl, Repeat, Burst, StreamSpeed, Polling, Http, Webhooks,
    }, new JsonSerializerOptions { WriteIndented = true });
}

public sealed class PollingOptions
{
    /// <summary>Cadence of Get Session polls; the seed asks for about one second.</summary>
    public int IntervalMs { get; set; } = 1000;
    /// <summary>How long to wait for a terminal state (and for expiry) before calling the result inconclusive.</summary>
    public int DeadlineSeconds { get; set; } = 300;
    /// <summary>Extra GETs after the first terminal answer, to prove the state is stable.</summary>
    public int StabilityGets { get; set; } = 2;
}

/// <summary>The embedded reference server of a run without --target (MSA_Embedded__ProcessingMs, …).</summary>
public sealed class EmbeddedServerOptions
{
    /// <summary>Time from End Session to the terminal state.</summary>
    public int ProcessingMs { get; set; } = 2000;
    /// <summary>Time from Create to expires_at: short, so the expiry scenario reaches 410 within a normal run.</summary>
    public int SessionLifetimeSeconds { get; set; } = 8;
}

public sealed class HttpOptions
{
    /// <summary>Timeout of each request, connect to last byte.</summary>
    public int TimeoutSeconds { get; set; } = 30;
    /// <summary>Response bodies are read up to this many bytes; the rest is dropped and the exchange says so.</summary>
    public int MaxBodyBytes { get; set; } = 2 * 1024 * 1024;
}

/// <summary>
/// The harness's own webhook receiver (an in-process HTTP server) and how long it waits for deliveries. A server that
/// cannot reach this machine needs a tunnel: PublicUrl is then the tunnel's public address, forwarding to ListenAddress:ListenPort.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>Public base URL the server delivers to (e.g. an https tunnel); empty = http://ListenAddress:port.</summary>
    public string PublicUrl { get; set; } = "";
    /// <summary>Interface the receiver listens on.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";
    /// <summary>Port the receiver listens on; 0 = a free one (set it when a tunnel forwards to a fixed port).</summary>
    public int ListenPort { get; set; }
    /// <summary>
    /// Listen on https (--webhook-https), so the registrations are https URLs and a second, plain-http listener can show
    /// whether the server also delivers to http (WH-DEL-15). The certificate is <see cref="Certificate"/>, else one the
    /// receiver makes for its address (which the server must then be told to trust).
    /// </summary>
    public bool Https { get; set; }
    /// <summary>PEM file with the receiver's certificate and private key (--webhook-cert); implies <see cref="Https"/>.</summary>
    public string Certificate { get; set; } = "";
    /// <summary>The certificate of <see cref="Certificate"/>, read by Validate.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public X509Certificate2? ReceiverCertificate { get; set; }
    /// <summary>How long to wait for the first delivery before calling the receiver unreachable.</summary>
    public int PreflightSeconds { get; set; } = 15;
    /// <summary>How long to wait, once the sessions are done, for the events still missing (and for a retry).</summary>
    public int DeliverySeconds { get; set; } = 60;

    public void Validate()
    {
        if (PublicUrl.Length > 0 && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
            throw new ConfigurationError($"Webhooks:PublicUrl must be an absolute http(s) URL, not '{PublicUrl}'.");
        if (!System.Net.IPAddress.TryParse(ListenAddress, out _))
            throw new ConfigurationError($"Webhooks:ListenAddress must be an IP address (127.0.0.1, 0.0.0.0, ::), not '{ListenAddress}'.");
        if (ListenPort is < 0 or > 65535)
            throw new ConfigurationError($"Webhooks:ListenPort must be between 0 and 65535, not {ListenPort}.");
        if (PreflightSeconds is < 1 or > 3600)
            throw new ConfigurationError($"Webhooks:PreflightSeconds must be between 1 and 3600, not {PreflightSeconds}.");
        if (DeliverySeconds is < 1 or > 3600)
            throw new ConfigurationError($"Webhooks:DeliverySeconds must be between 1 and 3600, not {DeliverySeconds}.");
        if (Certificate.Length > 0)
        {
            if (!File.Exists(Certificate)) throw new ConfigurationError($"Webhook certificate file '{Certificate}' (--webhook-cert) does not exist.");
            try { ReceiverCertificate = X509Certificate2.CreateFromPemFile(Certificate); }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw new ConfigurationError($"Webhook certificate file '{Certificate}' (--webhook-cert) must hold a PEM certificate and its private key: {e.Message}");
            }
            if (!ReceiverCertificate.HasPrivateKey)
                throw new ConfigurationError($"Webhook certificate file '{Certificate}' (--webhook-cert) holds no private key.");
            Https = true;
        }
        if (Https && PublicUrl.Length > 0)
            throw new ConfigurationError("--webhook-https (or --webhook-cert) and --webhook-public-url exclude each other: a tunnel terminates TLS itself, so the receiver behind it listens on plain http.");
    }
}

/// <summary>A setting is wrong: the run cannot start (exit code 2).</summary>
public sealed class ConfigurationError(string message) : Exception(message);
