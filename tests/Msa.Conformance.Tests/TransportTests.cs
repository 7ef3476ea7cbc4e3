using Msa.Conformance.Checks;
using Msa.Conformance.Checks.Transport;
using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>
/// The transport checks over https, against the reference server serving a certificate it made for itself (its CA given
/// to the harness with --ca-cert, or as the machine's trust store through SSL_CERT_FILE). The faults that break each row
/// are in the kill matrix (TestServers serves https for them).
/// </summary>
[TestFixture]
public class TransportTests
{
    private static Task<RunningReferenceServer> HttpsServerAsync(string token = "transport-token") =>
        ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Token = token, Https = true, ProcessingTime = TimeSpan.FromMilliseconds(1000), SessionLifetime = TimeSpan.FromSeconds(6),
        });

    [Test]
    public async Task TheTlsChecksPassOverHttpsAndTheCertificateOfAPrivateCaIsNotJudgedForPublicTrust()
    {
        await using var server = await HttpsServerAsync();
        Assert.That(server.ServiceRoot, Does.StartWith("https://"));
        var options = TestServers.OptionsFor(server);
        using var target = await Target.ConnectAsync(options);
        var scenarios = new ScenarioSet(target);
        var results = (await Task.WhenAll(Catalogue.Transport.Select(async c => (c.Id, Result: await scenarios.EvaluateAsync(c))))).ToDictionary(r => r.Id, r => r.Result);
        Assert.Multiple(() =>
        {
            foreach (var check in new[] { TlsChecks.Tls12, TlsChecks.Tls13, TlsChecks.CipherSuite, TlsChecks.NotNearExpiry, TlsChecks.LegacyRefused })
                Assert.That(results[check.Id].Verdict, Is.EqualTo(Verdict.Passed), $"{check.Id}: {results[check.Id].Message}");
            Assert.That(results[TlsChecks.Certificate.Id].Verdict, Is.EqualTo(Verdict.NotApplicable), results[TlsChecks.Certificate.Id].Message);
            Assert.That(results[TlsChecks.Certificate.Id].Message, Does.Contain("--ca-cert"));
            Assert.That(results[TlsChecks.LegacyRefused.Id].Message, Does.Contain("TLS 1.0 refused").And.Contain("TLS 1.1 refused"));
        });
    }

    /// <summary>SEC-05 is never passed on a handshake this machine could not offer: openssl missing makes it not applicable, with the reason.</summary>
    [Test]
    public async Task WithoutOpensslTheLegacyVersionsAreNotOfferedAndSec05IsNotApplicable()
    {
        const string token = "transport-no-openssl";
        await using var server = await HttpsServerAsync(token);
        var bin = Directory.CreateTempSubdirectory("msa-no-openssl-").FullName;
        var ca = Path.Combine(bin, "ca.pem");
        File.WriteAllText(ca, server.Options.CaCertificatePem);
        var run = await CommandLineTests.RunAsync(token, "--openssl", Path.Combine(bin, "no-such-openssl"),
            "--target", server.ServiceRoot, "--ca-cert", ca, "--poll-interval-ms", "200", "--expected-session-lifetime", "6");
        Assert.Multiple(() =>
        {
            Assert.That(run.Status(TlsChecks.LegacyRefused.Id), Is.EqualTo("not_applicable"), run.Stdout + run.Stderr);
            Assert.That(File.ReadAllText(Path.Combine(run.ReportDir, "summary.json")), Does.Contain("openssl command is not installed"));
            Assert.That(run.Status(TlsChecks.Tls12.Id), Is.EqualTo("passed"));
        });
    }

    /// <summary>With the server's CA as the machine's trust store (SSL_CERT_FILE), SEC-06 gets its verdict: passed.</summary>
    [Test]
    public async Task WithTheCaInTheTrustStoreTheCertificateCheckPassesFromTheCommandLine()
    {
        const string token = "transport-cli-token";
        await using var server = await HttpsServerAsync(token);
        var bundle = Path.Combine(Directory.CreateTempSubdirectory("msa-trust-").FullName, "ca-bundle.pem");
        File.WriteAllText(bundle, server.Options.CaCertificatePem);
        var run = await CommandLineTests.RunAsync(token, new Dictionary<string, string> { ["SSL_CERT_FILE"] = bundle, ["SSL_CERT_DIR"] = "/nonexistent" },
            "--target", server.ServiceRoot, "--poll-interval-ms", "200", "--expected-session-lifetime", "6");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Stdout + run.Stderr);
            Assert.That(run.Status(TlsChecks.Certificate.Id), Is.EqualTo("passed"));
            Assert.That(run.Status(TlsChecks.Tls12.Id), Is.EqualTo("passed"));
            Assert.That(File.ReadAllText(Path.Combine(run.ReportDir, "summary.json")), Does.Contain("chains to a publicly trusted root"));
        });
    }
}
