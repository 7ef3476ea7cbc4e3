using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The Create Session and MSA-Version faults. A lax validator is modelled by rewriting the request body into one the
/// conforming validator accepts (<see cref="CreateRequest"/>), so the handler still builds a real session.
/// </summary>
internal sealed partial class FaultInjector
{
    /// <summary>ModelLifetimeIgnored: a Create naming a model lives the configured lifetime, not the model's.</summary>
    public bool IgnoresModelLifetime => On(Fault.ModelLifetimeIgnored);

    /// <summary>Each lax-validation fault and how it "repairs" the body the conforming server would refuse.</summary>
    private static readonly IReadOnlyDictionary<Fault, Action<JsonObject>> LaxCreate = new Dictionary<Fault, Action<JsonObject>>
    {
        [Fault.CreateDefaultsUploadType] = b => { if (!b.ContainsKey("upload_type")) b["upload_type"] = "chunked"; },
        [Fault.CreateAcceptsTemplatesString] = b => { if (Text(b["templates"]) is { } one) b["templates"] = new JsonArray(one); },
        [Fault.CreateAcceptsUnknownUploadType] = b => { if (Text(b["upload_type"]) is { } t && !CreateSessionRequest.UploadTypes.Contains(t)) b["upload_type"] = "chunked"; },
        [Fault.CreateAcceptsUnadvertisedUploadType] = b => { if (Text(b["upload_type"]) is "single") b["upload_type"] = "chunked"; },
        [Fault.CreateAcceptsUnknownModel] = b => { if (Text(b["model"]) is { } m && !CreateSessionRequest.Models.Contains(m)) b.Remove("model"); },
        [Fault.CreateAcceptsThreeTemplates] = b =>
        {
            if (b["templates"] is JsonArray { Count: > CreateSessionRequest.MaxTemplates } list)
                b["templates"] = new JsonArray(list.Take(CreateSessionRequest.MaxTemplates).Select(t => t?.DeepClone()).ToArray());
        },
        [Fault.CreateIgnoresSessionIdLength] = b =>
        {
            if (Text(b["session_id"]) is { Length: < CreateSessionRequest.MinSessionIdLength or > CreateSessionRequest.MaxSessionIdLength }) b.Remove("session_id");
        },
        [Fault.ClientSessionIdIgnored] = b => b.Remove("session_id"),
    };

    /// <summary>The Create body as a server with the switched-on validation faults reads it.</summary>
    public string CreateRequest(string text)
    {
        text = SessionIdAndTemplatesRewrite(ValidationRewrite(NonObjectAdditionalDataRewrite(text)));
        if (!LaxCreate.Keys.Any(On) || Parse(text) is not { } body) return text;
        foreach (var (fault, repair) in LaxCreate)
            if (On(fault)) repair(body);
        return body.ToJsonString();
    }

    /// <summary>The refusal of a bad Create body, or the 500 a crashing server gives instead.</summary>
    public JsonReply CreateRefused(string text, JsonReply refusal)
    {
        var body = Parse(text);
        var crashes = (On(Fault.CreateInvalidJsonAs500) && body is null)
            || (On(Fault.CreateMistypedUploadTypeAs500) && body?["upload_type"]?.GetValueKind() == JsonValueKind.Number);
        return crashes ? ApiError.Reply(500, "internal_error", "The reference server failed: InvalidCastException.") : refusal;
    }

    /// <summary>The 201 answer with the switched-on faults applied.</summary>
    public JsonReply Created(JsonReply reply)
    {
        var body = reply.Body.AsObject();
        var created = DateTimeOffset.Parse(body["created_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        if (On(Fault.CreateAnswers200)) reply.StatusCode = 200;
        if (On(Fault.CreatedAsTextPlain)) reply.ContentType = "text/plain; charset=utf-8";
        if (On(Fault.CreatedWithoutExpiresAt)) body.Remove("expires_at");
        if (On(Fault.CreatedStatusInitialized)) body["status"] = "initialized";
        if (On(Fault.CreatedExpiresAtEqualsCreatedAt)) body["expires_at"] = body["created_at"]!.DeepClone();
        if (On(Fault.CreatedLifetimeOneDay)) body["expires_at"] = SessionBodies.Timestamp(created.AddDays(1));
        if (On(Fault.CreatedAtOneDayEarly)) body["created_at"] = SessionBodies.Timestamp(created.AddDays(-1));
        var uploadUrl = new Uri(body["upload_url"]!.GetValue<string>());
        if (On(Fault.CreatedUploadUrlRelative)) body["upload_url"] = uploadUrl.AbsolutePath;
        if (On(Fault.CreatedUploadUrlElsewhere))
            body["upload_url"] = $"{uploadUrl.GetLeftPart(UriPartial.Authority)}{settings.BasePath}/uploads/{body["session_id"]}";
        CreatedBodyFaults(body);
        return CreatedAnswerFaults(reply, body);
    }

    /// <summary>The MSA-Version refusal (null = serve the request) with the switched-on faults applied.</summary>
    public JsonReply? Version(string requested, JsonReply? refusal)
    {
        if (refusal is null && requested.Length > 0 && On(Fault.SupportedVersionRefused)) return ApiError.UnsupportedVersion(requested);
        return refusal is not null && On(Fault.UnsupportedVersionIgnored) ? null : refusal;
    }

    private static JsonObject? Parse(string text)
    {
        try { return JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { return null; }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
