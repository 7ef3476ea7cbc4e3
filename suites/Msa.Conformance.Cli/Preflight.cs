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
            if (uri.Scheme == "https") await CheckTlsAsync(tcp, uri.Host, options, ct);
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
        if (Http.Redactor.IsWeak(options.Token))
            notes.Add("The credential is short or an ordinary word: reports mask it wherever it stands alone, but a real key should be long and random.");
        await ChooseTemplatesAsync(options, target, notes);
        return new PreflightResult(target.BaseUrl, offset, credential, notes);
    }

    /// <summary>
    /// The template ids the run will use, tried once with a baseline Create (it makes one session, left to expire). When
    /// the server lists its templates (templates_url or {base}/templates) and the configured ids are not all among them,
    /// or the baseline is refused while the catalogue lists others, two listed ids are used instead, and the notes say
    /// so. A baseline refused with a 4xx that no listed pair fixes ends the run (exit 2) with the server's own words;
    /// a 5xx there is noted and the run goes on, as the Create checks will judge it.
    /// </summary>
    private static async Task ChooseTemplatesAsync(HarnessOptions options, Target target, List<string> notes)
    {
        var catalogue = await target.Client.SendAsync("preflight: templates catalogue", Method.Get, target.TemplatesUrl);
        var listed = Checks.Templates.TemplatesCatalogue.ListedIds(catalogue)?.Distinct(StringComparer.Ordinal).ToList() ?? [];
        var configured = options.Templates.Take(2).ToArray();
        if (listed.Count > 0 && !configured.All(listed.Contains))
        {
            var chosen = listed.Take(2).ToArray();
            notes.Add($"The configured templates ({string.Join(", ", configured)}) are not in the server's catalogue ({catalogue.Url}); using {string.Join(", ", chosen)} (set --templates to choose).");
            options.Templates = chosen;
        }
        var baseline = await BaselineCreateAsync(target, options.Templates.Take(2).ToArray());
        if (baseline.Accepted) return;
        if (baseline.Status >= 500 || !baseline.GotResponse)
        {
            notes.Add($"The baseline Create was not answered ({baseline.Summary()}); the run goes on and the Create checks judge it.");
            return;
        }
        foreach (var pair in listed.Where(id => !options.Templates.Contains(id)).Chunk(2))
        {
            if (!(await BaselineCreateAsync(target, pair)).Accepted) continue;
            notes.Add($"Create refused templates {string.Join(", ", options.Templates.Take(2))} ({Quote(baseline)}); using {string.Join(", ", pair)} from the server's catalogue (set --templates to choose).");
            options.Templates = pair;
            return;
        }
        throw new TargetUnusable($"A baseline Create with templates {string.Join(", ", options.Templates.Take(2))} was refused: HTTP {baseline.Status}, the server said: {Quote(baseline)}. "
            + "Name template ids this server knows with --templates a,b (or MSA_Templates); the server's catalogue "
            + (listed.Count > 0 ? $"lists {string.Join(", ", listed.Take(10))}." : $"could not be read at {catalogue.Url} ({catalogue.Status})."));
    }

    private static async Task<Http.Exchange> BaselineCreateAsync(Target target, string[] templates) =>
        await target.Client.SendAsync("preflight: baseline create", Method.Post, target.SessionsUrl, new System.Text.Json.Nodes.JsonObject
        {
            ["upload_type"] = "chunked",
            ["communication_protocol"] = "http",
            ["templates"] = new System.Text.Json.Nodes.JsonArray(templates.Select(t => (System.Text.Json.Nodes.JsonNode)t).ToArray()),
            ["language_hint"] = new System.Text.Json.Nodes.JsonArray(Checks.Capabilities.From(target.Discovery).LanguagesOrEnglish.First()),
        });

    /// <summary>What the server said, as it said it (its error message, or the start of its body), redacted.</summary>
    private static string Quote(Http.Exchange x) =>
        Http.Redactor.Scrub(x.JsonObject?["error"]?["message"] is System.Text.Json.Nodes.JsonValue m ? $"\"{m}\"" : x.Excerpt(200));

    /// <summary>One authenticated GET of a session that does not exist: 404 means the credential was accepted.</summary>
    private static async Task<string> CheckCredentialAsync(HarnessOptions options, Target target)
    {
        if (options.Token.Length == 0)
            throw new TargetUnusable("No credential: set MSA_TOKEN (or --token-file FILE). It is never read from the command line.");
        var id = "ses_preflight" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var x = await target.Client.SendAsync("preflight", Method.Get, target.SessionUrl(id));
        return x.Status switch
        {
            401 or 403 => throw new TargetUnusable($"The credential was rejected: HTTP {x.Status} from GET {x.Url}, the server said: {Quote(x)}. "
                + $"Check MSA_TOKEN and --auth ({options.EffectiveAuth}); 401 means the credential is missing or not accepted, 403 that it is not allowed."),
            0 => throw new TargetUnusable($"The API at {target.BaseUrl} does not answer: {x.TransportError}."),
            _ => $"credential accepted (GET of an unknown session answered {x.Status})",
        };
    }

    private static async Task CheckTlsAsync(TcpClient tcp, string host, HarnessOptions options, CancellationToken ct)
    {
        await using var ssl = new SslStream(tcp.GetStream(), false, Http.MsaClient.CertificateValidation(options));
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
        CaCert = o.CaCert, CaCertificates = o.CaCertificates,
        Http = new HttpOptions { TimeoutSeconds = timeoutSeconds, MaxBodyBytes = o.Http.MaxBodyBytes },
    };
}
