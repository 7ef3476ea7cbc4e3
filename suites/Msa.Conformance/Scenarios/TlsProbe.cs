using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Msa.Conformance.Scenarios;

/// <summary>The certificate a server presented, as the transport rows judge it (SEC-06, SEC-08).</summary>
public sealed record TlsCertificate(
    string Subject, string Issuer, IReadOnlyList<string> Names, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
    bool SelfSigned, bool MatchesHost,
    /// <summary>Chain problems against the system's trust store alone (empty: publicly trusted).</summary>
    IReadOnlyList<string> PublicChainProblems,
    /// <summary>With --ca-cert: chain problems against that CA alone; null without --ca-cert.</summary>
    IReadOnlyList<string>? PrivateCaChainProblems,
    IReadOnlyList<string> Chain);

/// <summary>
/// One TLS handshake capped at one protocol version: what was negotiated, or why it failed; NotOffered when this machine
/// could not even offer that version (TLS 1.0/1.1, <see cref="LegacyTlsProbe"/>), so nothing was sent.
/// </summary>
public sealed record TlsHandshake(
    string Host, string Offered, DateTimeOffset At, bool Connected, bool Succeeded, string? Error, string? Negotiated, string? CipherSuite,
    TlsCertificate? Certificate, string? NotOffered = null)
{
    /// <summary>A handshake capped at TLS 1.0 or 1.1, which SEC-05 alone judges.</summary>
    public bool Legacy => LegacyTlsProbe.Versions.Any(v => v.Name == Offered);
}

/// <summary>
/// Handshakes with the API host, each capped at one TLS version, accepting any certificate so that it can be examined
/// (whether requests trust it is the preflight's and --insecure's business, not this probe's).
/// </summary>
public static class TlsProbe
{
    public static readonly (string Name, SslProtocols Protocol)[] Versions = [("TLS 1.2", SslProtocols.Tls12), ("TLS 1.3", SslProtocols.Tls13)];

    public static async Task<TlsHandshake> HandshakeAsync(Uri api, string offered, SslProtocols protocol, HarnessOptions options, CancellationToken ct)
    {
        var at = DateTimeOffset.UtcNow;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Min(options.Http.TimeoutSeconds, 10)));
        using var tcp = new TcpClient();
        try { await tcp.ConnectAsync(api.DnsSafeHost, api.Port, timeout.Token); }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return new TlsHandshake(api.DnsSafeHost, offered, at, false, false, e is OperationCanceledException ? "the TCP connection timed out" : e.Message, null, null, null);
        }
        TlsCertificate? seen = null;
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, certificate, chain, _) =>
        {
            if (certificate is not null) seen = Describe(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), chain, api.DnsSafeHost, options);
            return true;
        });
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = api.DnsSafeHost, EnabledSslProtocols = protocol, CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, timeout.Token);
            return new TlsHandshake(api.DnsSafeHost, offered, at, true, true, null, Name(ssl.SslProtocol), ssl.NegotiatedCipherSuite.ToString(), seen);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            var error = e is OperationCanceledException ? "the handshake timed out" : e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            return new TlsHandshake(api.DnsSafeHost, offered, at, true, false, error, null, null, seen);
        }
    }

    /// <summary>The key of a handshake's evidence in <see cref="ScenarioRun.Probes"/>.</summary>
    public static string ProbeName(string offered) => $"handshake capped at {offered}";

    /// <summary>A handshake as evidence, shown like an exchange: what was offered, and what came back (method "TLS", no HTTP status).</summary>
    public static Http.Exchange AsExchange(TlsHandshake h, Uri api) => new()
    {
        Step = ProbeName(h.Offered), Method = TlsMethod, Url = $"https://{api.Authority}/",
        RequestHeaders = [new("ClientHello", h.Legacy ? $"versions {h.Offered} only, security level 0 (openssl s_client); server name {h.Host}"
            : $"versions {h.Offered} only; server name {h.Host}")],
        StartedAt = h.At,
        Body = Describe(h),
        TransportError = h.Connected ? null : h.Error,
    };

    /// <summary>The method of a handshake's evidence: it is no HTTP request, and HTTP readers (the HAR) leave it out.</summary>
    public const string TlsMethod = "TLS";

    public static string Describe(TlsHandshake h)
    {
        var text = new System.Text.StringBuilder(h.NotOffered is { } why ? $"{h.Offered}: not offered: {why}\n"
            : h.Succeeded ? $"{h.Offered}: negotiated {h.Negotiated}, cipher suite {h.CipherSuite}\n" : $"{h.Offered}: failed: {h.Error}\n");
        if (h.Certificate is { } c)
            text.Append($"certificate {c.Subject}, issued by {c.Issuer}\nvalid {c.NotBefore:yyyy-MM-dd HH:mm} – {c.NotAfter:yyyy-MM-dd HH:mm} UTC\n"
                + $"names {(c.Names.Count == 0 ? "(none)" : string.Join(", ", c.Names))}; host {(c.MatchesHost ? "matches" : "does NOT match")}{(c.SelfSigned ? "; self-signed" : "")}\n"
                + $"public trust: {(c.PublicChainProblems.Count == 0 ? "chains to a trusted root" : string.Join(", ", c.PublicChainProblems))}"
                + (c.PrivateCaChainProblems is { } p ? $"; --ca-cert: {(p.Count == 0 ? "chains to it" : string.Join(", ", p))}" : "")
                + $"\nchain: {string.Join(" → ", c.Chain)}\n");
        return text.ToString();
    }

    private static string Name(SslProtocols p) => p switch { SslProtocols.Tls12 => "TLS 1.2", SslProtocols.Tls13 => "TLS 1.3", _ => p.ToString() };

    private static TlsCertificate Describe(X509Certificate2 leaf, X509Chain? sent, string host, HarnessOptions options)
    {
        var intermediates = sent?.ChainElements.Select(e => e.Certificate).Where(c => c.Thumbprint != leaf.Thumbprint).ToList() ?? [];
        IReadOnlyList<string> Problems(Action<X509ChainPolicy> trust, out IReadOnlyList<string> path)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
            trust(chain.ChainPolicy);
            chain.Build(leaf);
            path = [.. chain.ChainElements.Select(e => e.Certificate.Subject)];
            return [.. chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct().Select(s => s.ToString())];
        }
        var publicProblems = Problems(_ => { }, out var path);
        var privateProblems = options.CaCertificates.Count == 0 ? null
            : Problems(p => { p.TrustMode = X509ChainTrustMode.CustomRootTrust; p.CustomTrustStore.AddRange(options.CaCertificates); }, out _);
        var names = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames().Concat(e.EnumerateIPAddresses().Select(a => a.ToString()))).ToList();
        return new TlsCertificate(leaf.Subject, leaf.Issuer, names, leaf.NotBefore.ToUniversalTime(), leaf.NotAfter.ToUniversalTime(),
            leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData), leaf.MatchesHostname(host), publicProblems, privateProblems, path);
    }
}
