using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using RestSharp;

namespace Msa.Conformance.Cli;

/// <summary>What preflight learnt about the target, for the console and summary.json.</summary>
public sealed record PreflightResult(string BaseUrl, double? ClockOffsetSeconds, string CredentialCheck, IReadOnlyList<string> Notes);

/// <summary>
/// Before any suite: name resolution, TCP connect, TLS, discovery, one authenticated call. Any failure ends the run
/// with exit 2 and one actionable sentence within about ten seconds; nothing here is a conformance verdict.
/// </summary>
public static class Preflight
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(5);

    public static async Task<PreflightResult> RunAsync(HarnessOptions options)
    {
        var uri = new Uri(options.Target);
        var notes = new List<string>();
        var addresses = await Step($"resolve {uri.Host}", async ct => await Dns.GetHostAddressesAsync(uri.Host, ct),
            e => $"Cannot resolve host '{uri.Host}': {e.Message}. Check the --target URL.");
        if (addresses.Length == 0) throw new TargetUnusable($"Host '{uri.Host}' resolves to no address.");

        await Step($"connect to {uri.Host}:{uri.Port}", async ct =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(addresses, uri.Port, ct);
            if (uri.Scheme == "https") await CheckTlsAsync(tcp, uri.Host, options.Insecure, ct);
            return true;
        }, e => e is AuthenticationException
            ? $"TLS with {uri.Host}:{uri.Port} failed: {e.Message}. Fix the certificate, or pass --insecure to test anyway (stated in every report)."
            : $"Cannot connect to {uri.Host}:{uri.Port}: {Describe(e)}. Is the server running and the URL right?");
        if (options.Insecure) notes.Add("TLS certificates were NOT verified (--insecure).");

        // Discovery with a short timeout: a hung server must not hold the run for the full request timeout.
        var quick = Copy(options, Math.Min(options.Http.TimeoutSeconds, 8));
        using var target = await Target.ConnectAsync(quick);
        notes.AddRange(target.Notes);
        var offset = ClockOffset(target.DiscoveryExchange.Header("Date"));
        if (offset is { } o && Math.Abs(o) > 60) notes.Add($"The server's clock differs from this machine's by {o:0} s; expiry timing checks allow for it.");

        var credential = await CheckCredentialAsync(options, target);
        return new PreflightResult(target.BaseUrl, offset, credential, notes);
    }

    /// <summary>One authenticated GET of a session that does not exist: 404 means the credential was accepted.</summary>
    private static async Task<string> CheckCredentialAsync(HarnessOptions options, Target target)
    {
        if (options.Token.Length == 0)
            throw new TargetUnusable("No credential: set MSA_TOKEN (or --token-file FILE). It is never read from the command line.");
        var id = "ses_preflight" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var x = await target.Client.SendAsync("preflight", Method.Get, target.SessionUrl(id));
        return x.Status switch
        {
            401 => throw new TargetUnusable($"The credential was rejected (401 from GET {x.Url}). Check MSA_TOKEN and --auth ({options.Auth})."),
            403 => throw new TargetUnusable($"The credential is valid but not allowed to read sessions (403 from GET {x.Url})."),
            0 => throw new TargetUnusable($"The API at {target.BaseUrl} does not answer: {x.TransportError}."),
            _ => $"credential accepted (GET of an unknown session answered {x.Status})",
        };
    }

    private static async Task CheckTlsAsync(TcpClient tcp, string host, bool insecure, CancellationToken ct)
    {
        await using var ssl = new SslStream(tcp.GetStream(), false, insecure ? (_, _, _, _) => true : null);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, ct);
    }

    /// <summary>Seconds the server's clock is ahead of ours (from its Date header), or null.</summary>
    public static double? ClockOffset(string? dateHeader) =>
        DateTimeOffset.TryParse(dateHeader, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var serverNow)
            ? Math.Round((serverNow - DateTimeOffset.UtcNow).TotalSeconds, 1) : null;

    private static async Task<T> Step<T>(string what, Func<CancellationToken, Task<T>> action, Func<Exception, string> explain)
    {
        using var cts = new CancellationTokenSource(StepTimeout);
        try { return await action(cts.Token); }
        catch (OperationCanceledException) { throw new TargetUnusable($"Could not {what} within {StepTimeout.TotalSeconds:0} s."); }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        { throw new TargetUnusable(explain(e)); }
    }

    private static string Describe(Exception e) => e is SocketException s ? s.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "timed out",
        _ => s.Message,
    } : e.Message;

    private static HarnessOptions Copy(HarnessOptions o, int timeoutSeconds) => new()
    {
        Target = o.Target, BaseUrl = o.BaseUrl, Token = o.Token, Auth = o.Auth, Profile = o.Profile, Insecure = o.Insecure,
        Http = new HttpOptions { TimeoutSeconds = timeoutSeconds, MaxBodyBytes = o.Http.MaxBodyBytes },
    };
}
