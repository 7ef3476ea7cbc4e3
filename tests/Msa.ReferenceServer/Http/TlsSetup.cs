using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The https mode (ReferenceServerOptions.Https): each instance makes its own CA and a leaf for 127.0.0.1/localhost
/// signed by it (nothing on disk, nothing that expires between runs), and serves TLS 1.2 and 1.3. The transport faults
/// (SEC-03/04/06/07/08) change what it serves.
/// </summary>
public static class TlsSetup
{
    /// <summary>The faults that exist only in https mode; a test server with one of them serves https.</summary>
    public static readonly IReadOnlySet<Fault> Faults = new HashSet<Fault>
    {
        Fault.TlsWithout12, Fault.TlsWithout13, Fault.TlsWeakCipher, Fault.CertificateExpired, Fault.CertificateForAnotherHost,
        Fault.CertificateSelfSigned, Fault.CertificateExpiresSoon, Fault.TlsAccepts10And11,
    };

    /// <summary>The faults whose certificate a verifying client refuses: a harness run against them needs --insecure.</summary>
    public static readonly IReadOnlySet<Fault> BreakValidation = new HashSet<Fault>
        { Fault.CertificateExpired, Fault.CertificateForAnotherHost, Fault.CertificateSelfSigned };

    internal sealed record Pki(X509Certificate2 Leaf, string CaPem);

    internal static Pki Make(ServerSettings settings)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=MSA Conformance reference server CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-400), now.AddDays(400));

        // RSA, so that TLS 1.2 negotiates the ECDHE-RSA-AES-GCM suites spec 12.1 lists.
        var key = RSA.Create(2048);
        var names = new SubjectAlternativeNameBuilder();
        if (settings.Has(Fault.CertificateForAnotherHost)) names.AddDnsName("scribe.example.org");
        else { names.AddIpAddress(IPAddress.Parse(settings.Host)); names.AddDnsName("localhost"); }
        var request = new CertificateRequest(settings.Has(Fault.CertificateForAnotherHost) ? "CN=scribe.example.org" : $"CN={settings.Host}",
            key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var (notBefore, notAfter) = settings.Has(Fault.CertificateExpired) ? (now.AddDays(-90), now.AddDays(-1))
            : settings.Has(Fault.CertificateExpiresSoon) ? (now.AddDays(-80), now.AddDays(10))
            : (now.AddDays(-1), now.AddDays(90));
        using var signed = settings.Has(Fault.CertificateSelfSigned)
            ? request.CreateSelfSigned(notBefore, notAfter)
            : request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        // Through PKCS#12 so the key is usable by the TLS stack.
        var leaf = X509CertificateLoader.LoadPkcs12((signed.HasPrivateKey ? signed : signed.CopyWithPrivateKey(key)).Export(X509ContentType.Pkcs12), null);
        return new Pki(leaf, ca.ExportCertificatePem());
    }

    internal static void Configure(HttpsConnectionAdapterOptions https, ServerSettings settings, X509Certificate2 leaf)
    {
        https.ServerCertificate = leaf;
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 on purpose: the defect SEC-05 must catch
        https.SslProtocols = settings.Has(Fault.TlsWithout12) ? SslProtocols.Tls13
            : settings.Has(Fault.TlsWithout13) ? SslProtocols.Tls12
            : settings.Has(Fault.TlsAccepts10And11) ? SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13
            : SslProtocols.Tls12 | SslProtocols.Tls13;
#pragma warning restore SYSLIB0039
        if (settings.Has(Fault.TlsWeakCipher))
            https.OnAuthenticate = (_, ssl) => ssl.CipherSuitesPolicy = new CipherSuitesPolicy(
                [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384]);
    }
}
