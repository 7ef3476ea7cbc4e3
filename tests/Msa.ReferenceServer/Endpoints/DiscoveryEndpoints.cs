using System.Text.Json.Nodes;
using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;
using Msa.ReferenceServer.Webhooks;

namespace Msa.ReferenceServer.Endpoints;

/// <summary>Where a discovery route is mapped.</summary>
internal enum DiscoveryLocation
{
    /// <summary><c>{base}/.well-known/medscribealliance</c>: EkaScribe's place (DISC-02), served in both profiles.</summary>
    BelowBasePath,
    /// <summary><c>/.well-known/medscribealliance</c>: the community draft's place (DISC-03), served in msa-draft only.</summary>
    HostRoot,
}

/// <summary>
/// <c>GET …/.well-known/medscribealliance</c>: public, cacheable for 3 hours (digest §3). Every answer passes
/// <see cref="FaultInjector.Discovery"/>.
/// </summary>
internal static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder root, DiscoveryLocation location)
    {
        root.MapGet("/.well-known/medscribealliance", (HttpContext http, ServerSettings settings, WebhookDeliveryOptions webhooks, FaultInjector faults) =>
            faults.Discovery(Discovery(http, settings, webhooks, location))).WithName($"Discovery{location}");
        return root;
    }

    /// <summary>The conforming answer for this location (the document, or 404 where the profile serves none), and what it was built from.</summary>
    private static DiscoveryReply Discovery(HttpContext http, ServerSettings settings, WebhookDeliveryOptions webhooks, DiscoveryLocation location)
    {
        var document = Document(BaseUrl(http, settings), webhooks.Enabled, streams: !settings.MsaDraft);
        var served = location == DiscoveryLocation.BelowBasePath || settings.MsaDraft;
        var reply = served ? Served(document) : NotServed(http);
        return new DiscoveryReply(location, reply, document, Credentials.Of(http.Request, settings));
    }

    public static JsonReply Served(JsonObject document) =>
        new JsonReply(200, document).WithHeader("Cache-Control", "public, max-age=10800");

    public static JsonReply NotServed(HttpContext http) =>
        ApiError.Reply(404, "not_found", $"No endpoint for {http.Request.Method} {http.Request.Path}.");

    /// <summary>scheme://host:port of the request plus the base path.</summary>
    public static string BaseUrl(HttpContext http, ServerSettings settings) =>
        $"{http.Request.Scheme}://{http.Request.Host}{settings.BasePath}";

    /// <summary>The discovery document; streams: EkaScribe's Stream Audio is offered (the community draft has no streaming, CF-16).</summary>
    private static JsonObject Document(string baseUrl, bool webhooks, bool streams) => new()
    {
        ["protocol"] = "medscribealliance",
        ["protocol_version"] = ProtocolVersions.Current,
        ["supported_versions"] = Strings(ProtocolVersions.Supported),
        ["service"] = new JsonObject
        {
            ["name"] = "MedScribeAlliance reference server (EkaScribe flavour)",
            ["documentation_url"] = "https://developer.eka.care/api-reference/health-ai/ekascribe/protocol/overview",
            ["support_email"] = "support@example.com",
        },
        ["endpoints"] = webhooks
            ? new JsonObject { ["base_url"] = baseUrl, ["webhooks_url"] = $"{baseUrl}/webhooks" }
            : new JsonObject { ["base_url"] = baseUrl },
        ["authentication"] = new JsonObject { ["supported_methods"] = Strings("api_key") },
        ["capabilities"] = new JsonObject
        {
            ["audio_formats"] = Strings(AudioRules.AdvertisedFormats),
            ["max_chunk_duration_seconds"] = 20,
            ["upload_methods"] = streams ? Strings("chunked", "stream") : Strings("chunked"),
            ["webhook_delivery"] = webhooks,
            ["client_sdk_delivery"] = false,
        },
        ["models"] = new JsonArray(
            Model("lite", "Lite", ["en", "hi"], MaxSessionSeconds["lite"], "fast", features: false),
            Model("pro", "Professional", Languages, MaxSessionSeconds["pro"], "standard", features: true)),
        ["languages"] = new JsonObject { ["supported"] = Strings(Languages), ["auto_detection"] = true },
    };

    /// <summary>Each model's max_session_duration_seconds: discovery says it, and an msa-draft Create naming the model lives that long (EXP-02).</summary>
    public static readonly IReadOnlyDictionary<string, int> MaxSessionSeconds = new Dictionary<string, int> { ["lite"] = 600, ["pro"] = 3600 };

    private static readonly string[] Languages = ["en", "hi", "ta", "te", "bn", "mr", "gu", "kn", "ml", "pa"];

    private static JsonObject Model(string id, string name, string[] languages, int maxSeconds, string speed, bool features) => new()
    {
        ["id"] = id,
        ["display_name"] = name,
        ["languages"] = Strings(languages),
        ["max_session_duration_seconds"] = maxSeconds,
        ["response_speed"] = speed,
        ["features"] = new JsonObject
        {
            ["realtime_transcription"] = features,
            ["speaker_diarization"] = features,
            ["custom_templates"] = features,
        },
    };

    private static JsonArray Strings(params string[] values) => new(values.Select(v => (JsonNode)v).ToArray());
}

/// <summary>The conforming discovery answer together with what it was built from, so the fault injector can change it.</summary>
internal sealed record DiscoveryReply(DiscoveryLocation Location, JsonReply Reply, JsonObject Document, (bool Missing, bool Valid) Credential);
