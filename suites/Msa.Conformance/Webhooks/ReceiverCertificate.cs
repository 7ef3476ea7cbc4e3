using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Msa.Conformance.Webhooks;

/// <summary>
/// The certificate the receiver makes for itself under --webhook-https without --webhook-cert: self-signed for its
/// listen address and localhost, valid two days from an hour ago, kept in memory only. A server delivers to it only if
/// told to trust it (the reference server does, for its loopback receivers); a vendor's server needs --webhook-cert.
/// </summary>
public static class ReceiverCertificate
{
    public static X509Certificate2 Make(IPAddress address)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=MSA Conformance webhook receiver", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
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
