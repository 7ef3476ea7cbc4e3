using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Msa.Conformance.Http;
using RestSharp;

namespace Msa.Conformance.Tests;

/// <summary>
/// --ca-cert FILE: a vendor's staging server with a certificate from a private CA is reached without --insecure. The
/// certificates are made here, for this run (no network, nothing on disk that expires).
/// </summary>
[TestFixture]
public class PrivateCaTests
{
    private sealed record Pki(string CaPem, X509Certificate2 Leaf, string OtherCaPem);

    private static X509Certificate2 NewCa(string name)
    {
        var request = new CertificateRequest($"CN={name}", ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static Pki MakePki()
    {
        using var ca = NewCa("MSA Conformance test CA");
        using var other = NewCa("Some other CA");
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        // Through PKCS#12 so the key is usable by the TLS stack.
        var leaf = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
        return new Pki(ca.ExportCertificatePem(), leaf, other.ExportCertificatePem());
    }

    private static async Task<WebApplication> HttpsServerAsync(X509Certificate2 certificate)
    {
        var b = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        b.Logging.ClearProviders();
        b.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = b.Build();
        app.MapGet("/ping", () => Results.Json(new { ok = true }));
        await app.StartAsync();
        return app;
    }

    private static async Task<Exchange> GetAsync(string root, string caPem, bool insecure = false)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, caPem);
            var options = new HarnessOptions { Target = root, Token = "t", Insecure = insecure, CaCert = caPem.Length > 0 ? file : "" };
            options.Validate();
            using var client = new MsaClient(options);
            return await client.SendAsync("ping", Method.Get, root + "/ping", auth: false);
        }
        finally { File.Delete(file); }
    }

    [Test]
    public async Task APrivateCaIsTrustedOnlyWhenGivenWithCaCert()
    {
        var pki = MakePki();
        await using var app = await HttpsServerAsync(pki.Leaf);
        var root = app.Urls.Single().Replace("[::1]", "127.0.0.1");
        var trusted = await GetAsync(root, pki.CaPem);
        var untrusted = await GetAsync(root, "");
        var wrongCa = await GetAsync(root, pki.OtherCaPem);
        var insecure = await GetAsync(root, "", insecure: true);
        Assert.Multiple(() =>
        {
            Assert.That(trusted.Status, Is.EqualTo(200), "with --ca-cert naming the server's CA: " + trusted.TransportError);
            Assert.That(untrusted.GotResponse, Is.False, "without it, the system's trust alone refuses the private CA");
            Assert.That(wrongCa.GotResponse, Is.False, "a CA file naming another CA does not help");
            Assert.That(insecure.Status, Is.EqualTo(200), "--insecure accepts any certificate");
        });
    }

    [Test]
    public void AMissingOrNonPemCaFileIsAConfigurationError()
    {
        var notPem = Path.GetTempFileName();
        File.WriteAllText(notPem, "not a certificate");
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(() => new HarnessOptions { CaCert = "/no/such/ca.pem" }.Validate(),
                    Throws.TypeOf<ConfigurationError>().With.Message.Contains("--ca-cert"));
                Assert.That(() => new HarnessOptions { CaCert = notPem }.Validate(),
                    Throws.TypeOf<ConfigurationError>().With.Message.Contains("--ca-cert"));
            });
        }
        finally { File.Delete(notPem); }
    }
}
