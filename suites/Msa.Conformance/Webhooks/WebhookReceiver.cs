using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Msa.Conformance.Webhooks;

/// <summary>
/// The harness's webhook receiver: an in-process Kestrel server that takes POST {PublicUrl}/msa-webhooks/{key}, keeps
/// the raw bytes and headers exactly as they arrived, and answers what the scenario decides (200, or 500 on purpose).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string PathPrefix = "/msa-webhooks/";
    private const int MaxBodyBytes = 256 * 1024;
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, string listenUrl, string publicBase, string? plainBase)
    {
        _app = app;
        ListenUrl = listenUrl;
        PublicBase = publicBase;
        PlainBase = plainBase;
    }

    /// <summary>Where the receiver listens, e.g. http://127.0.0.1:41234 (https with --webhook-https).</summary>
    public string ListenUrl { get; }
    /// <summary>The base the server is told to deliver to: Webhooks:PublicUrl, or ListenUrl.</summary>
    public string PublicBase { get; }
    /// <summary>With --webhook-https, a second listener on plain http: a registration there shows whether the server delivers over http (WH-DEL-15).</summary>
    public string? PlainBase { get; }

    public string UrlFor(string key) => $"{PublicBase}{PathPrefix}{Uri.EscapeDataString(key)}";

    public string? PlainUrlFor(string key) => PlainBase is null ? null : $"{PlainBase}{PathPrefix}{Uri.EscapeDataString(key)}";

    /// <summary>Starts listening. `receive` records each delivery and returns the status code to answer with.</summary>
    public static async Task<WebhookReceiver> StartAsync(WebhookOptions options, Func<ReceivedWebhook, int> receive, CancellationToken ct)
    {
        // No config-file watcher: each one costs an inotify instance (128 per user), and dozens of servers run at once in tests.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Configuration.Sources.Clear(); // no ASPNETCORE_URLS or appsettings from the host process
        builder.Configuration.AddInMemoryCollection();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoSignals>(); // Ctrl+C belongs to the test process, not to the receiver
        builder.Services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        var address = IPAddress.Parse(options.ListenAddress);
        if (options.Https)
        {
            var certificate = options.ReceiverCertificate ?? Http.SelfMadeCertificate.Make(address);
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(address, options.ListenPort, l => l.UseHttps(certificate));
                k.Listen(address, 0);
            });
        }
        else builder.WebHost.UseUrls($"http://{UrlHost(address)}:{options.ListenPort}");
        var app = builder.Build();
        app.MapPost(PathPrefix + "{key}", async (string key, HttpContext http) =>
        {
            var arrived = DateTimeOffset.UtcNow;
            var body = await ReadAsync(http.Request.Body, http.RequestAborted);
            var delivery = new ReceivedWebhook
            {
                Key = key,
                ArrivedAt = arrived,
                Headers = [.. http.Request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()))],
                Body = body,
                RemoteAddress = http.Connection.RemoteIpAddress?.ToString(),
                Scheme = http.Request.Scheme,
            };
            var status = receive(delivery);
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(status is >= 200 and < 300 ? "{\"received\":true}"
                : "{\"error\":{\"code\":\"refused_on_purpose\",\"message\":\"The conformance harness refuses this delivery to see whether the server retries it.\"}}");
        });
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var bound = app.Urls.Select(u => new Uri(u)).ToList();
        // Listening on every interface: this machine itself is reachable as loopback.
        var host = address.Equals(IPAddress.Any) ? IPAddress.Loopback : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : address;
        string Base(string scheme) => $"{scheme}://{UrlHost(host)}:{bound.First(u => u.Scheme == scheme).Port}";
        var listen = Base(options.Https ? "https" : "http");
        var publicBase = options.PublicUrl.Length > 0 ? options.PublicUrl.TrimEnd('/') : listen;
        return new WebhookReceiver(app, listen, publicBase, options.Https ? Base("http") : null);
    }

    private static string UrlHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    private static async Task<byte[]> ReadAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await _app.StopAsync(timeout.Token); }
        finally { await _app.DisposeAsync(); }
    }

    private sealed class NoSignals : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>One POST that reached the receiver: bytes and headers exactly as received, and what the receiver answered.</summary>
public sealed class ReceivedWebhook
{
    /// <summary>The path key: which registration it was delivered for.</summary>
    public required string Key { get; init; }
    public required DateTimeOffset ArrivedAt { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }
    /// <summary>The raw body: what a signature is computed over.</summary>
    public required byte[] Body { get; init; }
    public string? RemoteAddress { get; init; }
    /// <summary>The scheme it arrived over at this receiver: "http" or "https" (behind a tunnel, the tunnel's hop).</summary>
    public string? Scheme { get; init; }
    /// <summary>The status the receiver answered with.</summary>
    public int Answer { get; set; }
    /// <summary>The delivery as a recorded exchange (for reports and failure evidence).</summary>
    public Http.Exchange? Exchange { get; set; }
    /// <summary>The GET of the session the harness made as soon as this (outcome) event arrived.</summary>
    public Http.Exchange? ReceiptGet { get; set; }
    /// <summary>
    /// Read back from an observations file: the MAC a signature with each t must carry, computed by the observing run
    /// over the bytes as received (the secret itself is never stored, and the stored body may be masked).
    /// </summary>
    public IReadOnlyDictionary<long, byte[]>? RecordedMacs { get; init; }

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private readonly Lazy<JsonObject?> _json;

    public ReceivedWebhook() => _json = new(ParseBody, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The body as a JSON object, or null; parsed once even when several checks ask at once (see JsonTree).</summary>
    public JsonObject? Json => _json.Value;

    private JsonObject? ParseBody()
    {
        try { return Http.JsonTree.Filled(JsonNode.Parse(Body) as JsonObject); }
        catch (JsonException) { return null; }
    }

    public string? Event => Text("event");
    public string? SessionId => Text("session_id");
    public string BodyText => Encoding.UTF8.GetString(Body);

    private string? Text(string field) =>
        Json?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
