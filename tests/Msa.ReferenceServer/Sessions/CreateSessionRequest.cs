using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Http;

namespace Msa.ReferenceServer.Sessions;

/// <summary>A validated Create Session body. Unknown template ids are accepted here; they make the session end partial.</summary>
internal sealed record CreateSessionRequest(
    string? SessionId, string UploadType, string CommunicationProtocol, string Model, IReadOnlyList<string> Templates,
    JsonObject? AdditionalData, JsonObject? PatientDetails, bool ModelNamed)
{
    public static readonly string[] UploadTypes = ["chunked", "single", "stream"];
    private static readonly string[] Protocols = ["http", "websocket", "rpc"];
    public static readonly string[] Models = ["lite", "pro"];
    public const int MaxTemplates = 2;
    public const int MinSessionIdLength = 16, MaxSessionIdLength = 32;
    private static readonly string[] SessionModes = ["consultation", "dictation"];

    /// <summary>Parses and validates; on failure <paramref name="error"/> is the 400 to answer.</summary>
    /// <param name="msaDraft">the community draft: spec 6.2 and the msa schema require templates, where EkaScribe makes them
    /// optional (CF-12); and it has no stream upload, which EkaScribe offers (CF-16).</param>
    public static bool TryParse(string text, bool msaDraft, out CreateSessionRequest request, out JsonReply error)
    {
        request = null!;
        JsonObject body;
        try
        {
            if (JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) is not JsonObject parsed)
            {
                error = ApiError.InvalidRequest("The body must be a JSON object.");
                return false;
            }
            body = parsed;
            _ = body.Count; // surfaces duplicate property names now, inside the try
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            error = ApiError.InvalidRequest($"The body is not valid JSON: {ex.Message}");
            return false;
        }

        // upload_type: required; chunked, and (EkaScribe) stream, are implemented by this server.
        if (!TryEnum(body, "upload_type", UploadTypes, required: true, out var uploadType, out error)) return false;
        if (uploadType != "chunked" && !(uploadType == "stream" && !msaDraft))
        {
            error = ApiError.InvalidRequest($"upload_type '{uploadType}' is not supported by this server; use 'chunked'{(msaDraft ? "" : " or 'stream'")}.");
            return false;
        }
        if (!TryEnum(body, "communication_protocol", Protocols, required: true, out var protocol, out error)) return false;
        if (!TryEnum(body, "model", Models, required: false, out var model, out error)) return false;
        if (!TryEnum(body, "session_mode", SessionModes, required: false, out _, out error)) return false;

        string? sessionId = null;
        if (Present(body, "session_id") is { } idNode)
        {
            if (!IsString(idNode, out sessionId) || sessionId.Length is < MinSessionIdLength or > MaxSessionIdLength)
            {
                error = ApiError.InvalidRequest("session_id must be a string of 16 to 32 characters.");
                return false;
            }
        }

        var templates = new List<string>();
        if (Present(body, "templates") is { } templatesNode)
        {
            if (templatesNode is not JsonArray array || !array.All(t => t is not null && IsString(t, out _)))
            {
                error = ApiError.InvalidRequest("templates must be an array of template id strings.");
                return false;
            }
            templates.AddRange(array.Select(t => t!.GetValue<string>()));
            if (templates.Count > MaxTemplates)
            {
                error = ApiError.Reply(400, "invalid_template", $"At most {MaxTemplates} templates may be requested, not {templates.Count}.");
                return false;
            }
        }
        else if (msaDraft)
        {
            error = ApiError.Reply(400, "missing_required_field", "templates is required.");
            return false;
        }

        if (Present(body, "language_hint") is { } hint && (hint is not JsonArray hints || !hints.All(h => h is not null && IsString(h, out _))))
        {
            error = ApiError.InvalidRequest("language_hint must be an array of language code strings.");
            return false;
        }
        if (Present(body, "transcript_language") is { } language && !IsString(language, out _))
        {
            error = ApiError.InvalidRequest("transcript_language must be a string.");
            return false;
        }
        if (!TryObject(body, "additional_data", out var additionalData, out error)) return false;
        if (!TryObject(body, "patient_details", out var patientDetails, out error)) return false;

        request = new CreateSessionRequest(sessionId, uploadType!, protocol ?? "http", model ?? "lite", templates,
            additionalData, patientDetails, ModelNamed: model is not null);
        return true;
    }

    /// <summary>The node of a property that is present and not JSON null.</summary>
    private static JsonNode? Present(JsonObject body, string name) => body.TryGetPropertyValue(name, out var node) ? node : null;

    private static bool IsString(JsonNode node, out string value)
    {
        value = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null!;
        return value is not null;
    }

    private static bool TryEnum(JsonObject body, string name, string[] allowed, bool required, out string? value, out JsonReply error)
    {
        error = null!;
        value = null;
        var node = Present(body, name);
        if (node is null)
        {
            if (!required) return true;
            error = ApiError.InvalidRequest($"{name} is required (one of {string.Join(", ", allowed)}).");
            return false;
        }
        if (IsString(node, out var text) && allowed.Contains(text, StringComparer.Ordinal))
        {
            value = text;
            return true;
        }
        error = ApiError.InvalidRequest($"{name} must be one of {string.Join(", ", allowed)}, not {node.ToJsonString()}.");
        return false;
    }

    private static bool TryObject(JsonObject body, string name, out JsonObject? value, out JsonReply error)
    {
        error = null!;
        value = null;
        var node = Present(body, name);
        if (node is null) return true;
        if (node is JsonObject obj)
        {
            value = obj.DeepClone().AsObject();
            return true;
        }
        error = ApiError.InvalidRequest($"{name} must be a JSON object.");
        return false;
    }
}
