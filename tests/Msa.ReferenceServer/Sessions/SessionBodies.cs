using System.Globalization;
using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Sessions;

/// <summary>The conforming JSON bodies of the session endpoints. Pure functions of a session snapshot.</summary>
internal static class SessionBodies
{
    public const string ExpiredMessage = "Session expired before processing was initiated";

    /// <summary>RFC 3339 UTC with millisecond precision, e.g. 2026-06-06T14:21:07.123Z.</summary>
    public static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Create Session, 201.</summary>
    public static JsonObject Created(Session s)
    {
        var body = new JsonObject
        {
            ["session_id"] = s.Id,
            ["status"] = "created",
            ["created_at"] = Timestamp(s.CreatedAt),
            ["expires_at"] = Timestamp(s.ExpiresAt),
            ["upload_url"] = s.UploadUrl,
        };
        if (s.PatientDetails is not null) body["patient_details"] = s.PatientDetails.DeepClone();
        return body;
    }

    /// <summary>End Session, 202.</summary>
    public static JsonObject Ended(SessionSnapshot s) => new()
    {
        ["session_id"] = s.Id,
        ["status"] = "processing",
        ["message"] = "Session ended. Processing started.",
        ["audio_files_received"] = s.AudioFiles.Count,
        ["audio_files"] = AudioFiles(s),
    };

    /// <summary>Get Session: the HTTP status and body of the seed's state table for <paramref name="phase"/>.</summary>
    public static (int Status, JsonObject Body) ForPhase(SessionSnapshot s, SessionPhase phase, string? templateFilter, TimeSpan processingTime,
        ServerProfile profile = ServerProfile.Ekascribe)
    {
        var (status, body) = phase switch
        {
            SessionPhase.Initialized => (202, Pending(s, "initialized")),
            SessionPhase.Processing => (202, Pending(s, "processing")),
            SessionPhase.Completed => (200, Finished(s, "completed", templateFilter, processingTime, profile)),
            SessionPhase.Partial => (206, Finished(s, "partial", templateFilter, processingTime, profile)),
            SessionPhase.Failed => (200, Finished(s, "failed", templateFilter, processingTime, profile)),
            SessionPhase.Expired => (410, Expired(s)),
            _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "no session body for this phase"),
        };
        // The community draft returns additional_data unchanged (spec 6.6); only the EkaScribe flavour adds _protocol.
        if (profile == ServerProfile.MsaDraft && body["additional_data"] is JsonObject data) data.Remove("_protocol");
        return (status, body);
    }

    /// <summary>202: initialized (before End) or processing (after End, until the processing time is over).</summary>
    public static JsonObject Pending(SessionSnapshot s, string status) => new()
    {
        ["session_id"] = s.Id,
        ["upload_url"] = s.Session.UploadUrl,
        ["status"] = status,
        ["created_at"] = Timestamp(s.Session.CreatedAt),
        ["expires_at"] = Timestamp(s.Session.ExpiresAt),
        ["audio_files_received"] = s.AudioFiles.Count,
        ["audio_files"] = AudioFiles(s),
        ["additional_data"] = AdditionalData(s.Session),
        ["transcript"] = "",
        ["patient_details"] = s.Session.PatientDetails?.DeepClone(),
    };

    /// <summary>200 completed, 206 partial, 200 failed: the completed shape plus the extras of each.</summary>
    public static JsonObject Finished(SessionSnapshot s, string status, string? templateFilter, TimeSpan processingTime, ServerProfile profile)
    {
        var failed = status == "failed";
        var body = new JsonObject
        {
            ["session_id"] = s.Id,
            ["upload_url"] = s.Session.UploadUrl,
            ["status"] = status,
            ["created_at"] = Timestamp(s.Session.CreatedAt),
            ["expires_at"] = Timestamp(s.Session.ExpiresAt),
            ["completed_at"] = Timestamp(s.EndedAt!.Value + processingTime),
            ["model_used"] = s.Session.Model,
            ["language_detected"] = failed ? null : "en",
            ["audio_files_received"] = s.AudioFiles.Count,
        };
        if (status == "partial") body["audio_files_processed"] = s.AudioFiles.Count;
        body["audio_files"] = AudioFiles(s);
        body["additional_data"] = AdditionalData(s.Session);
        body["patient_details"] = s.Session.PatientDetails?.DeepClone();
        body["transcript"] = failed ? null : CannedResults.Transcript(s.AudioFiles, s.Spoken);
        body["templates"] = profile == ServerProfile.MsaDraft ? (failed ? new JsonObject() : TemplateMap(s))
            : failed ? new JsonArray() : Templates(s, templateFilter);
        if (status == "partial")
            body["processing_errors"] = new JsonArray(s.UnknownTemplates.Select(id => (JsonNode)new JsonObject
            {
                ["type"] = "template_error",
                ["template_id"] = id,
                ["message"] = $"Template '{id}' is not known to this server; no document was generated for it.",
            }).ToArray());
        if (failed)
            body["error"] = new JsonObject
            {
                ["code"] = "audio_too_short",
                ["message"] = "No audio was received for this session, so there was nothing to transcribe.",
            };
        return body;
    }

    /// <summary>410: never ended and now past expires_at.</summary>
    public static JsonObject Expired(SessionSnapshot s) => new()
    {
        ["session_id"] = s.Id,
        ["upload_url"] = s.Session.UploadUrl,
        ["status"] = "expired",
        ["created_at"] = Timestamp(s.Session.CreatedAt),
        ["expired_at"] = Timestamp(s.Session.ExpiresAt),
        ["message"] = ExpiredMessage,
        ["audio_files_received"] = s.AudioFiles.Count,
        ["audio_files"] = AudioFiles(s),
        ["additional_data"] = AdditionalData(s.Session),
        ["templates"] = new JsonObject(),
        ["transcript"] = null,
    };

    /// <summary>One single-key object per document, keyed by template id; <paramref name="filter"/> keeps one template's entries.</summary>
    public static JsonArray Templates(SessionSnapshot s, string? filter) =>
        new(s.Documents
            .Where(d => filter is null || d.TemplateId == filter)
            .Select(d => (JsonNode)new JsonObject
            {
                [d.TemplateId] = new JsonObject
                {
                    ["status"] = "success",
                    ["document_id"] = d.DocumentId,
                    ["document_type"] = d.TemplateId,
                    ["data"] = d.Data.DeepClone(),
                    ["publish"] = new JsonObject(),
                },
            })
            .ToArray());

    /// <summary>
    /// msa-draft (spec 9.2, 9.4): an object keyed by template id; <c>data</c> is the document, or the list of documents
    /// when the template produced several; an unknown template is a <c>failed</c> entry with an error object.
    /// </summary>
    public static JsonObject TemplateMap(SessionSnapshot s)
    {
        var map = new JsonObject();
        foreach (var documents in s.Documents.GroupBy(d => d.TemplateId))
            map[documents.Key] = new JsonObject
            {
                ["status"] = "success",
                ["data"] = documents.Count() == 1 ? documents.First().Data.DeepClone()
                    : new JsonArray(documents.Select(d => (JsonNode)d.Data.DeepClone()).ToArray()),
            };
        foreach (var id in s.UnknownTemplates)
            map[id] = new JsonObject
            {
                ["status"] = "failed",
                ["error"] = new JsonObject { ["code"] = "template_not_found", ["message"] = $"Template '{id}' is not known to this server." },
            };
        return map;
    }

    /// <summary>The client's object unchanged, plus the reserved <c>_protocol</c> key (as Eka adds it).</summary>
    public static JsonObject AdditionalData(Session s)
    {
        var data = s.AdditionalData?.DeepClone().AsObject() ?? new JsonObject();
        data["_protocol"] = new JsonObject
        {
            ["version"] = "0.1",
            ["upload_type"] = s.UploadType,
            ["communication_protocol"] = s.CommunicationProtocol,
            ["requested_templates"] = new JsonArray(s.RequestedTemplates.Select(t => (JsonNode)t).ToArray()),
        };
        return data;
    }

    private static JsonArray AudioFiles(SessionSnapshot s) => new(s.AudioFiles.Select(f => (JsonNode)f).ToArray());
}
