using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Msa.Conformance.Http;

/// <summary>
/// A certificate the harness makes for a listener of its own: self-signed for that address and localhost, valid two days
/// from an hour ago, kept in memory only. The webhook receiver uses it under --webhook-https without --webhook-cert (a
/// server delivers to it only if told to trust it, as the reference server does for loopback receivers); the TLS 1.0/1.1
/// self-check serves it to itself.
/// </summary>
public static class SelfMadeCertificate
{
    public static X509Certificate2 Make(IPAddress address)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=MSA Conformance harness", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var made = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(2));
        // Through PKCS#12 so the key is usable by the TLS stack.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }
}
