using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Msa.Conformance.Http;

namespace Msa.Conformance.Scenarios;

/// <summary>
/// SEC-05: handshakes capped at TLS 1.0 and at TLS 1.1, which must fail. .NET on OpenSSL 3 cannot offer them (security
/// level 1 forbids their signature algorithms), and a refused handshake proves nothing unless the client really offered
/// the version. So the openssl command offers it, at security level 0, and first shows on loopback that it negotiates
/// that version with itself (an s_server with a certificate the harness makes); when it cannot, the version is "not
/// offered" with the reason, and SEC-05 is not applicable rather than passed.
/// </summary>
public static partial class LegacyTlsProbe
{
    public static readonly (string Name, string Flag)[] Versions = [("TLS 1.0", "-tls1"), ("TLS 1.1", "-tls1_1")];

    private const string LegacyCiphers = "DEFAULT@SECLEVEL=0";

    /// <summary>How a handshake that hung begins its error: no refusal, so no verdict.</summary>
    public const string NoAnswer = "no answer to the handshake";

    public static async Task<TlsHandshake> HandshakeAsync(Uri api, string offered, string flag, HarnessOptions options, CancellationToken ct)
    {
        var at = DateTimeOffset.UtcNow;
        var timeout = TimeSpan.FromSeconds(Math.Min(options.Http.TimeoutSeconds, 10));
        string? notOffered;
        try { notOffered = await SelfCheckAsync(options.OpenSsl, flag, offered, timeout, ct); }
        catch (System.ComponentModel.Win32Exception)
        {
            notOffered = $"the openssl command is not installed ('{options.OpenSsl}'; Debian: apt-get install openssl, or give --openssl FILE), and .NET on OpenSSL 3 cannot offer TLS 1.0/1.1 itself";
        }
        if (notOffered is not null) return new TlsHandshake(api.DnsSafeHost, offered, at, false, false, null, null, null, null, notOffered);
        var result = await ClientAsync(options.OpenSsl, api.DnsSafeHost, api.Port, flag, timeout, ct);
        return new TlsHandshake(api.DnsSafeHost, offered, at, result.Connected, result.Cipher is not null,
            result.Cipher is null ? result.Error : null, result.Cipher is null ? null : offered, result.Cipher, null);
    }

    /// <summary>Null when openssl negotiates `flag`'s version with an s_server of its own on loopback; otherwise why not.</summary>
    private static async Task<string?> SelfCheckAsync(string openssl, string flag, string offered, TimeSpan timeout, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("msa-legacy-tls-").FullName;
        try
        {
            using (var certificate = SelfMadeCertificate.Make(IPAddress.Loopback))
            {
                await File.WriteAllTextAsync(Path.Combine(dir, "cert.pem"), certificate.ExportCertificatePem(), ct);
                using var key = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(certificate)!;
                await File.WriteAllTextAsync(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem(), ct);
            }
            using var server = Start(openssl, ["s_server", "-accept", "127.0.0.1:0", "-cert", Path.Combine(dir, "cert.pem"), "-key", Path.Combine(dir, "key.pem"),
                flag, "-cipher", LegacyCiphers, "-naccept", "1", "-www"]);
            try
            {
                // s_server names the port it took on its first lines ("ACCEPT 127.0.0.1:40123").
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(timeout);
                int? port = null;
                while (port is null && await server.StandardOutput.ReadLineAsync(wait.Token) is { } line)
                    if (AcceptLine().Match(line) is { Success: true } m) port = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (port is null) return $"openssl s_server {flag} did not start on loopback: {(await server.StandardError.ReadToEndAsync(ct)).Trim()}";
                var self = await ClientAsync(openssl, "127.0.0.1", port.Value, flag, timeout, ct);
                return self.Cipher is not null ? null
                    : $"this machine's openssl cannot negotiate {offered} even with itself ({self.Error}), so a refused handshake would prove nothing";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return $"openssl s_server {flag} did not start within {timeout.TotalSeconds:0} s"; }
            finally { Stop(server); }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private sealed record ClientResult(bool Connected, string? Cipher, string? Error);

    /// <summary>One openssl s_client handshake offering only `flag`'s version; stdin closed, so it ends after the handshake.</summary>
    private static async Task<ClientResult> ClientAsync(string openssl, string host, int port, string flag, TimeSpan timeout, CancellationToken ct)
    {
        var authority = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        using var client = Start(openssl, ["s_client", "-connect", authority, "-servername", host, flag, "-cipher", LegacyCiphers]);
        client.StandardInput.Close();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(timeout);
        try
        {
            var output = client.StandardOutput.ReadToEndAsync(wait.Token);
            var errors = client.StandardError.ReadToEndAsync(wait.Token);
            await client.WaitForExitAsync(wait.Token);
            var text = await output + "\n" + await errors;
            var cipher = CipherLine().Match(text) is { Success: true } c && c.Groups[1].Value != "(NONE)" && client.ExitCode == 0 ? c.Groups[1].Value : null;
            var error = ErrorLine().Match(text) is { Success: true } e ? e.Groups[1].Value.Trim() : cipher is null ? "the handshake did not complete" : null;
            return new ClientResult(text.Contains("CONNECTED(", StringComparison.Ordinal), cipher, error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ClientResult(true, null, $"{NoAnswer} within {timeout.TotalSeconds:0} s");
        }
        finally { Stop(client); }
    }

    private static Process Start(string openssl, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(openssl)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        return Process.Start(start) ?? throw new System.ComponentModel.Win32Exception("openssl did not start");
    }

    private static void Stop(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    [GeneratedRegex(@"ACCEPT .*:(\d+)\s*$")]
    private static partial Regex AcceptLine();

    [GeneratedRegex(@"Cipher is (\S+)")]
    private static partial Regex CipherLine();

    /// <summary>OpenSSL's error line, e.g. "…:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version:…": the reason part.</summary>
    [GeneratedRegex(@"routines:[^:]*:([^:]+)")]
    private static partial Regex ErrorLine();
}
