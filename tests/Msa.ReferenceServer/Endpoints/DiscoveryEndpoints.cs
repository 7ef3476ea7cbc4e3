using System.Text.Json.Nodes;
using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;
using Msa.ReferenceServer.Webhooks;

namespace Msa.ReferenceServer.Endpoints;

/// <summary><c>GET {base}/.well-known/medscribealliance</c>: public, cacheable for 3 hours (digest §3).</summary>
internal static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder root)
    {
        root.MapGet("/.well-known/medscribealliance", Discovery).WithName("Discovery");
        return root;
    }

    private static JsonReply Discovery(HttpContext http, ServerSettings settings, WebhookDeliveryOptions webhooks) =>
        new JsonReply(200, Document(BaseUrl(http, settings), webhooks.Enabled)).WithHeader("Cache-Control", "public, max-age=10800");

    /// <summary>scheme://host:port of the request plus the base path.</summary>
    public static string BaseUrl(HttpContext http, ServerSettings settings) =>
        $"{http.Request.Scheme}://{http.Request.Host}{settings.BasePath}";

    private static JsonObject Document(string baseUrl, bool webhooks) => new()
    {
        ["protocol"] = "medscribealliance",
        ["protocol_version"] = "0.1",
        ["supported_versions"] = Strings("0.1"),
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
            ["upload_methods"] = Strings("chunked"),
            ["webhook_delivery"] = webhooks,
            ["client_sdk_delivery"] = false,
        },
        ["models"] = new JsonArray(
            Model("lite", "Lite", ["en", "hi"], 600, "fast", features: false),
            Model("pro", "Professional", Languages, 3600, "standard", features: true)),
        ["languages"] = new JsonObject { ["supported"] = Strings(Languages), ["auto_detection"] = true },
    };

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
