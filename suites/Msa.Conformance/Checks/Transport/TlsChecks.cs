using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks.Transport;

/// <summary>
/// The transport (spec 12.1) as one handshake per TLS version with the API host shows it; not applicable to a plain-http
/// API base (loopback only, which DISC-13 judges). A handshake that could not even connect is no verdict.
/// </summary>
public static class TlsChecks
{
    /// <summary>The suites spec 12.1 lists, as .NET names them (IANA names).</summary>
    public static readonly IReadOnlySet<string> ListedSuites = new HashSet<string>(StringComparer.Ordinal)
    {
        "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    };

    public static readonly Check Tls12 = new(
        "transport.tls-1-2", "A handshake capped at TLS 1.2 succeeds", new("SEC-03"), Scenario.Transport, o => Accepts(o, "TLS 1.2"));

    public static readonly Check Tls13 = new(
        "transport.tls-1-3", "A handshake capped at TLS 1.3 succeeds", new("SEC-04"), Scenario.Transport, o => Accepts(o, "TLS 1.3"));

    public static readonly Check Certificate = new(
        "transport.certificate", "The certificate matches the host, is within its validity period, is not self-signed and chains to a publicly trusted CA",
        new("SEC-06"), Scenario.Transport, o =>
        {
            var (handshake, c) = Presented(o);
            var v = new Violations();
            var proof = Evidence(o, handshake);
            v.When(!c.MatchesHost, proof, () => $"Expected: a certificate for {Host(o)}\nReceived: {c.Subject}, names {Names(c)}");
            v.When(handshake.At < c.NotBefore || handshake.At > c.NotAfter, proof,
                () => $"Expected: valid at the handshake ({handshake.At:yyyy-MM-dd HH:mm} UTC)\nReceived: valid {c.NotBefore:yyyy-MM-dd HH:mm} – {c.NotAfter:yyyy-MM-dd HH:mm} UTC");
            v.When(c.SelfSigned, proof, () => $"Expected: a certificate issued by a CA\nReceived: self-signed ({c.Subject} issued by itself)");
            var trusted = c.PublicChainProblems.Count == 0;
            var privatelyTrusted = c.PrivateCaChainProblems is { Count: 0 };
            v.When(!trusted && !privatelyTrusted && !c.SelfSigned, proof,
                () => $"Expected: a chain to a publicly trusted root\nReceived: {string.Join(", ", c.PublicChainProblems)} (chain {string.Join(" → ", c.Chain)})");
            if (v.Count > 0) return v.Result();
            if (!trusted)
                return CheckResult.NotApplicable($"host, validity period and issuer are right, but the chain ends at the CA given with --ca-cert ({string.Join(" → ", c.Chain)}): "
                    + "public trust is not judged for a private CA (a staging set-up); run without --ca-cert to judge it");
            return CheckResult.Pass($"{c.Subject}, issued by {c.Issuer}, valid until {c.NotAfter:yyyy-MM-dd} UTC, matches {Host(o)}, chains to a publicly trusted root.");
        });

    public static readonly Check CipherSuite = new(
        "transport.cipher-suite", "Every handshake negotiates a cipher suite spec 12.1 lists",
        new("SEC-07"), Scenario.Transport, o =>
        {
            var done = Handshakes(o).Where(h => h.Succeeded && !h.Legacy).ToList(); // a TLS 1.0/1.1 suite is SEC-05's finding
            if (done.Count == 0) throw o.Run.Unreached("no handshake succeeded (see SEC-03, SEC-04)");
            var v = new Violations();
            foreach (var h in done)
                v.When(!ListedSuites.Contains(h.CipherSuite ?? ""), Evidence(o, h),
                    () => $"Expected: one of {string.Join(", ", ListedSuites)}\nReceived: {h.CipherSuite} over {h.Negotiated}");
            return v.Result($"{string.Join("; ", done.Select(h => $"{h.Negotiated}: {h.CipherSuite}"))}.");
        });

    public static readonly Check NotNearExpiry = new(
        "transport.certificate-expiry", "The certificate is not within 14 days of its expiry",
        new("SEC-08"), Scenario.Transport, o =>
        {
            var (handshake, c) = Presented(o);
            var left = c.NotAfter - handshake.At;
            return left < TimeSpan.FromDays(14)
                ? CheckResult.Fail($"Expected: at least 14 days before the certificate expires\nReceived: it expires {c.NotAfter:yyyy-MM-dd HH:mm} UTC, "
                    + (left < TimeSpan.Zero ? $"{-left.TotalDays:0.#} days ago" : $"in {left.TotalDays:0.#} days"), Evidence(o, handshake))
                : CheckResult.Pass($"expires {c.NotAfter:yyyy-MM-dd} UTC, in {left.TotalDays:0} days.");
        });

    public static readonly Check LegacyRefused = new(
        "transport.tls-1-0-1-1-refused", "Handshakes capped at TLS 1.0 and at TLS 1.1 fail (TLS 1.2 is the floor)",
        new("SEC-05"), Scenario.Transport, o =>
        {
            var legacy = Handshakes(o).Where(h => h.Legacy).ToList();
            if (legacy.Count == 0) throw o.Run.Unreached("no TLS 1.0 or 1.1 handshake was tried");
            var offered = legacy.Where(h => h.NotOffered is null).ToList();
            if (offered.Count == 0) throw new NotReached(Verdict.NotApplicable, $"{legacy[0].Offered} not offered: {legacy[0].NotOffered}");
            if (offered.FirstOrDefault(h => !h.Connected || h.Error?.StartsWith(LegacyTlsProbe.NoAnswer, StringComparison.Ordinal) == true) is { } unclear)
                return CheckResult.Inconclusive($"the handshake capped at {unclear.Offered} neither completed nor was refused: {unclear.Error}");
            var v = new Violations();
            foreach (var h in offered)
                v.When(h.Succeeded, Evidence(o, h), () => $"Expected: the handshake offering only {h.Offered} refused\nReceived: {h.Offered} negotiated, cipher suite {h.CipherSuite}");
            var notOffered = legacy.Except(offered).Select(h => $" {h.Offered} not offered: {h.NotOffered}.");
            return v.Result($"{string.Join("; ", offered.Select(h => $"{h.Offered} refused ({h.Error})"))}.{string.Concat(notOffered)}");
        });

    public static IReadOnlyList<Check> All => [Tls12, Tls13, Certificate, CipherSuite, NotNearExpiry, LegacyRefused];

    private static IReadOnlyList<TlsHandshake> Handshakes(Observations o)
    {
        if (o.Run.Stopped is { Verdict: Verdict.NotApplicable } plain) throw new NotReached(Verdict.NotApplicable, plain.Reason);
        return o.Run.Tls.Count > 0 ? o.Run.Tls : throw o.Run.Unreached("no TLS handshake was made");
    }

    private static CheckResult Accepts(Observations o, string version)
    {
        var h = Handshakes(o).FirstOrDefault(h => h.Offered == version) ?? throw o.Run.Unreached($"no {version} handshake was tried");
        if (!h.Connected) return CheckResult.Inconclusive($"the TCP connection for the {version} handshake failed: {h.Error}");
        return h.Succeeded && h.Negotiated == version
            ? CheckResult.Pass($"{version} negotiated with cipher suite {h.CipherSuite}.")
            : CheckResult.Fail($"Expected: a handshake offering only {version} succeeds\nReceived: {(h.Succeeded ? $"{h.Negotiated} negotiated" : $"refused: {h.Error}")}", Evidence(o, h));
    }

    /// <summary>The certificate of the first handshake that got one.</summary>
    private static (TlsHandshake Handshake, TlsCertificate Certificate) Presented(Observations o) =>
        Handshakes(o).FirstOrDefault(h => h.Certificate is not null) is { Certificate: { } c } h ? (h, c)
            : throw o.Run.Unreached("no handshake got as far as the server's certificate");

    private static Http.Exchange Evidence(Observations o, TlsHandshake h) => o.Run.Probes[TlsProbe.ProbeName(h.Offered)];

    private static string Host(Observations o) => Handshakes(o)[0].Host;

    private static string Names(TlsCertificate c) => c.Names.Count == 0 ? "(no subject alternative names)" : string.Join(", ", c.Names);
}
