using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Http;

/// <summary>A JSON answer built as a <see cref="JsonNode"/>, so the fault injector can still change it before it is written.</summary>
internal class JsonReply(int statusCode, JsonNode body) : IResult
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public int StatusCode { get; set; } = statusCode;
    public JsonNode Body { get; set; } = body;
    public string ContentType { get; set; } = JsonContentType;
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public JsonReply WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        response.ContentType = ContentType;
        var bytes = ToUtf8(Body);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }

    public static byte[] ToUtf8(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            node.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>The protocol versions this server speaks (discovery's protocol_version and supported_versions; spec 3.3).</summary>
internal static class ProtocolVersions
{
    public const string Header = "MSA-Version";
    public const string Current = "0.1";
    public static readonly string[] Supported = [Current];
}

/// <summary>The error envelope <c>{"error":{"code","message","details"?}}</c>.</summary>
internal static class ApiError
{
    public static JsonReply Reply(int status, string code, string message, JsonObject? details = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (details is not null) error["details"] = details;
        return new JsonReply(status, new JsonObject { ["error"] = error });
    }

    public static JsonReply InvalidRequest(string message) => Reply(400, "invalid_request", message);

    public static JsonReply SessionNotFound(string id) =>
        Reply(404, "session_not_found", $"Session '{id}' does not exist.");

    public static JsonReply SessionExpired(string id) =>
        Reply(410, "session_expired", $"Session '{id}' expired before it was ended.");

    public static JsonReply SessionEnded(string id) =>
        Reply(400, "session_ended", $"Session '{id}' has already been ended.");

    public static JsonReply SessionCompleted(string id) =>
        Reply(400, "session_completed", $"Session '{id}' has already finished processing.");

    public static JsonReply UnsupportedVersion(string requested) =>
        Reply(400, "unsupported_version", $"MSA-Version {requested} is not supported.", new JsonObject
        {
            ["requested_version"] = requested,
            ["supported_versions"] = new JsonArray(ProtocolVersions.Supported.Select(v => (JsonNode)v).ToArray()),
        });

    /// <summary>401; <paramref name="apiKeyHeader"/> (msa-draft) names X-API-Key as the place for the key.</summary>
    public static JsonReply Unauthorized(bool missing, bool apiKeyHeader = false) =>
        Reply(401, "authentication_failed", missing
            ? $"Missing credentials: send {(apiKeyHeader ? "X-API-Key: <key>" : "Authorization: Bearer <token>")}."
            : $"Invalid credentials: the {(apiKeyHeader ? "API key" : "bearer token")} is not accepted.");
}

/// <summary>A non-JSON answer; only faults produce these.</summary>
internal sealed class PlainReply(int statusCode, string contentType, string text) : IResult
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        response.ContentType = contentType;
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }
}
