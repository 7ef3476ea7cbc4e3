using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The one place where every <see cref="Variation"/> takes effect, as <see cref="FaultInjector"/> is for faults. Handlers
/// (and the fault injector) build the answer as usual; the outermost middleware (<see cref="VariationMiddleware.UseVariations"/>)
/// then reshapes its final bytes: the JSON body (<see cref="Reshape"/>), the Content-Type, the content coding and the
/// framing (<see cref="WriteAsync"/>). Create's refusal of an unknown template (<see cref="TemplatesRefused"/>) is the only
/// variation that changes what the server does rather than how it says it, so it is asked by the Create handler. With no
/// variation switched on, nothing is buffered and nothing changes.
/// </summary>
internal sealed class VariationInjector(ServerSettings settings)
{
    public const string VendorField = "x_vendor_trace";
    public const string VendorTemplateField = "x_vendor_rank";
    public const string VendorErrorField = "x_vendor_hint";
    public const string VariedJsonContentType = "Application/JSON; Charset=\"UTF-8\"";

    /// <summary>OffsetTimestamps: Get Session writes its timestamps at these offsets; every other answer and notification at +00:00.</summary>
    private static readonly Dictionary<string, TimeSpan> GetSessionOffsets = new(StringComparer.Ordinal)
    {
        ["created_at"] = TimeSpan.FromMinutes(330), ["completed_at"] = TimeSpan.FromMinutes(330),
        ["expires_at"] = TimeSpan.FromHours(-3), ["expired_at"] = TimeSpan.FromHours(-3),
    };

    private static readonly string[] TimestampFields = ["created_at", "expires_at", "completed_at", "expired_at", "timestamp"];

    public bool Any => settings.Variations.Count > 0;

    private bool On(Variation variation) => settings.Has(variation);

    /// <summary>UnknownTemplateRefusedAtCreate: 400 invalid_template for a Create naming a template this server does not know.</summary>
    public JsonReply? TemplatesRefused(IReadOnlyList<string> requested) =>
        On(Variation.UnknownTemplateRefusedAtCreate) && requested.FirstOrDefault(t => !CannedResults.IsKnown(t)) is { } unknown
            ? ApiError.Reply(400, "invalid_template", $"Template '{unknown}' is not known to this server.",
                new JsonObject { ["template_id"] = unknown })
            : null;

    /// <summary>PresignedUploads: a chunked session's upload_url is a presigned storage URL; otherwise the API's own.</summary>
    public string UploadUrl(string apiUploadUrl, string baseUrl, string id, string uploadType) =>
        On(Variation.PresignedUploads) && uploadType != "stream" ? StorageEndpoints.UploadUrlFor(baseUrl, id, settings.SessionLifetime) : apiUploadUrl;

    /// <summary>Writes the buffered answer with the switched-on variations applied.</summary>
    public async Task WriteAsync(HttpContext http, byte[] bytes)
    {
        var response = http.Response;
        var json = bytes.Length > 0 && IsJson(response.ContentType);
        if (json && Parse(bytes) is { } node)
        {
            Reshape(http, node);
            bytes = JsonReply.ToUtf8(node);
        }
        if (json && On(Variation.CharsetInContentType)) response.ContentType = VariedJsonContentType;

        if (bytes.Length > 0 && On(Variation.Gzip) && OffersGzip(http.Request))
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
                await gzip.WriteAsync(bytes);
            bytes = compressed.ToArray();
            response.Headers.ContentEncoding = "gzip";
            response.Headers.Append("Vary", "Accept-Encoding");
        }

        if (bytes.Length == 0)
        {
            if (response.ContentLength is not null and not 0) response.ContentLength = 0;
            return;
        }
        if (!On(Variation.ChunkedTransfer))
        {
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, http.RequestAborted);
            return;
        }
        // No Content-Length: Kestrel frames the HTTP/1.1 answer with Transfer-Encoding: chunked; flushing between pieces
        // makes each piece a chunk of its own.
        response.ContentLength = null;
        var piece = Math.Max(1, (bytes.Length + 2) / 3);
        for (var at = 0; at < bytes.Length; at += piece)
        {
            await response.Body.WriteAsync(bytes.AsMemory(at, Math.Min(piece, bytes.Length - at)), http.RequestAborted);
            await response.Body.FlushAsync(http.RequestAborted);
        }
    }

    /// <summary>A webhook notification's payload with the body-level variations that apply to it (timestamps, vendor members), before it is signed.</summary>
    public JsonNode WebhookPayload(JsonNode payload)
    {
        if (payload is not JsonObject body) return payload;
        if (On(Variation.OffsetTimestamps)) OffsetTimestamps(body, getSession: false);
        if (On(Variation.VendorExtraFields)) body[VendorField] = "abc";
        return body;
    }

    /// <summary>The body-level variations, in place.</summary>
    private void Reshape(HttpContext http, JsonNode node)
    {
        if (node is not JsonObject body) return;
        var endpoint = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        var sessionBody = endpoint == SessionEndpoints.GetSessionName && body["status"] is JsonValue && body["error"] is null or JsonObject
            && body.ContainsKey("session_id");
        var status = body["status"] is JsonValue s && s.TryGetValue<string>(out var text) ? text : null;

        if (sessionBody && On(Variation.NullableFieldsNull)) NullWhereAllowed(body, status);
        if (endpoint == SessionEndpoints.CreateSessionName && status == "created" && On(Variation.NullableFieldsNull) && !settings.MsaDraft)
            body.TryAdd("patient_details", null); // a session created without patient_details echoes it as null
        if (sessionBody && On(Variation.FailedTemplateDataNull)) FailedTemplates(http, body, status);
        if (sessionBody && On(Variation.RepeatedTemplateIds) && body["templates"] is JsonArray list) RepeatEach(list);
        if (endpoint?.StartsWith("Discovery", StringComparison.Ordinal) == true && On(Variation.NoWebhooksAdvertised)) NoWebhooks(body);
        if (On(Variation.OffsetTimestamps)) OffsetTimestamps(body, endpoint == SessionEndpoints.GetSessionName);
        if (On(Variation.VendorExtraFields)) VendorFields(body, sessionBody);
    }

    /// <summary>NullableFieldsNull (see the enum for which fields, per profile and state).</summary>
    private void NullWhereAllowed(JsonObject body, string? status)
    {
        var pending = status is "initialized" or "processing";
        if (pending)
        {
            body["completed_at"] = null;
            if (!settings.MsaDraft)
            {
                body["model_used"] = null;
                body["language_detected"] = null;
                body["transcript"] = null;
            }
            return;
        }
        if (settings.MsaDraft)
        {
            if (status == "partial") body["completed_at"] = null;
            return;
        }
        if (status is "completed" or "partial" or "failed")
        {
            body["completed_at"] = null;
            body["model_used"] = null;
            body["language_detected"] = null;
        }
        if (status == "partial") body["transcript"] = null;
    }

    /// <summary>
    /// FailedTemplateDataNull: every failed entry gets data null; in ekascribe each unknown template of a partial session
    /// (named by its processing_errors) also becomes a failed entry of the list, unless a filter names another template.
    /// </summary>
    private void FailedTemplates(HttpContext http, JsonObject body, string? status)
    {
        if (body["templates"] is JsonArray list && status == "partial" && body["processing_errors"] is JsonArray errors)
        {
            var filter = http.Request.Query["template_id"].ToString();
            foreach (var id in errors.OfType<JsonObject>().Select(e => e["template_id"]).OfType<JsonValue>()
                         .Select(v => v.TryGetValue<string>(out var t) ? t : null).OfType<string>().Distinct())
                if (filter.Length == 0 || filter == id)
                    list.Add(new JsonObject
                    {
                        [id] = new JsonObject
                        {
                            ["status"] = "failed", ["data"] = null, ["document_id"] = $"doc_failed_{id}", ["document_type"] = id,
                            ["publish"] = new JsonObject(),
                        },
                    });
        }
        foreach (var entry in Entries(body["templates"]))
            if (entry["status"] is JsonValue v && v.TryGetValue<string>(out var s) && s == "failed") entry["data"] = null;
    }

    /// <summary>RepeatedTemplateIds: each success element is followed by a second document for the same template id.</summary>
    private static void RepeatEach(JsonArray list)
    {
        var elements = list.ToList();
        list.Clear();
        foreach (var element in elements)
        {
            list.Add(element);
            if (element is not JsonObject { Count: 1 } single || single.First().Value is not JsonObject inner
                || inner["status"]?.ToString() != "success") continue;
            var second = inner.DeepClone().AsObject();
            second["document_id"] = $"{inner["document_id"]}_2";
            list.Add(new JsonObject { [single.First().Key] = second });
        }
    }

    /// <summary>NoWebhooksAdvertised: discovery says webhook_delivery false and names no webhooks_url.</summary>
    private static void NoWebhooks(JsonObject discovery)
    {
        if (discovery["capabilities"] is JsonObject capabilities) capabilities["webhook_delivery"] = false;
        if (discovery["endpoints"] is JsonObject endpoints) endpoints.Remove("webhooks_url");
    }

    /// <summary>
    /// OffsetTimestamps: the timestamp fields of the body (and of each listed webhook) at their offset, with nine fractional
    /// digits (nanoseconds, as Go's time.RFC3339Nano writes them; the two beyond .NET's ticks are zeros, so the instant is unchanged).
    /// </summary>
    private static void OffsetTimestamps(JsonObject body, bool getSession)
    {
        Shift(body, getSession);
        if (body["webhooks"] is JsonArray hooks)
            foreach (var hook in hooks.OfType<JsonObject>()) Shift(hook, getSession);
    }

    private static void Shift(JsonObject obj, bool getSession)
    {
        foreach (var field in TimestampFields)
            if (obj[field] is JsonValue v && v.TryGetValue<string>(out var text) && text.EndsWith('Z')
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
                obj[field] = instant.ToOffset(getSession ? GetSessionOffsets.GetValueOrDefault(field) : TimeSpan.Zero)
                    .ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00'zzz", CultureInfo.InvariantCulture);
    }

    /// <summary>VendorExtraFields: top level, inside each template entry of a session body, inside each error object.</summary>
    private static void VendorFields(JsonObject body, bool sessionBody)
    {
        body[VendorField] = "abc";
        if (body["error"] is JsonObject error) error[VendorErrorField] = "see https://vendor.example/errors";
        // Discovery's sections and models, a registration or listed webhook, each processing error: extra members too.
        foreach (var section in new[] { "service", "capabilities", "authentication", "languages" })
            if (body[section] is JsonObject inner) inner[VendorField] = "abc";
        if (body["endpoints"] is JsonObject endpoints) endpoints["x_vendor_status_url"] = "https://status.vendor.example/";
        foreach (var list in new[] { "models", "webhooks", "processing_errors" })
            if (body[list] is JsonArray items)
                foreach (var item in items.OfType<JsonObject>()) item[VendorField] = "abc";
        if (!sessionBody)
        {
            if (body["templates"] is JsonArray catalogue) // the templates catalogue's {id, name, description} entries
                foreach (var item in catalogue.OfType<JsonObject>()) item[VendorField] = "abc";
            return;
        }
        foreach (var entry in Entries(body["templates"])) entry[VendorTemplateField] = 1;
    }

    /// <summary>The inner objects of the templates field: of each single-key list element (ekascribe), or of each map value (msa-draft).</summary>
    private static IEnumerable<JsonObject> Entries(JsonNode? templates) => templates switch
    {
        JsonArray list => list.OfType<JsonObject>().Where(e => e.Count == 1).Select(e => e.First().Value).OfType<JsonObject>().ToList(),
        JsonObject map => map.Select(p => p.Value).OfType<JsonObject>().ToList(),
        _ => [],
    };

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool OffersGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.SelectMany(v => (v ?? "").Split(',')).Select(c => c.Split(';'))
            .Any(c => c[0].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase)
                && !(c.Length > 1 && c[1].Replace(" ", "").Equals("q=0", StringComparison.OrdinalIgnoreCase)));

    private static JsonNode? Parse(byte[] bytes)
    {
        try { return JsonNode.Parse(bytes); }
        catch (JsonException) { return null; }
    }
}

/// <summary>The outermost middleware: buffers each answer when a variation is on, then lets <see cref="VariationInjector"/> write it.</summary>
internal static class VariationMiddleware
{
    public static WebApplication UseVariations(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var variations = http.RequestServices.GetRequiredService<VariationInjector>();
            if (!variations.Any || http.WebSockets.IsWebSocketRequest)
            {
                await next(http);
                return;
            }
            var wire = http.Response.Body;
            using var buffer = new MemoryStream();
            http.Response.Body = buffer;
            try
            {
                await next(http);
            }
            finally
            {
                http.Response.Body = wire;
            }
            try
            {
                await variations.WriteAsync(http, buffer.ToArray());
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
            {
                // the client went away; nobody is left to answer
            }
        });
        return app;
    }
}
