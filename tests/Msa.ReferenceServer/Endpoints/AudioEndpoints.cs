using Microsoft.AspNetCore.WebUtilities;
using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;
using HeaderUtilities = Microsoft.Net.Http.Headers.HeaderUtilities;
using ContentDisposition = Microsoft.Net.Http.Headers.ContentDispositionHeaderValue;
using MediaType = Microsoft.Net.Http.Headers.MediaTypeHeaderValue;

namespace Msa.ReferenceServer.Endpoints;

/// <summary>
/// Upload Audio (digest §5): raw bytes to <c>{upload_url}/{file_name}</c>, or multipart/form-data with one file part to
/// <c>{upload_url}</c>. Chunks are counted, never kept: the server only needs their names.
/// </summary>
internal static class AudioEndpoints
{
    public const string UploadRawName = "UploadAudio";
    public const string UploadMultipartName = "UploadAudioMultipart";

    public static RouteGroupBuilder MapAudio(this RouteGroupBuilder sessions)
    {
        sessions.MapPost("/{id}/audio/{fileName}", UploadRaw).WithName(UploadRawName);
        sessions.MapPost("/{id}/audio", UploadMultipart).WithName(UploadMultipartName);
        return sessions;
    }

    /// <summary>200; 400 invalid_request / invalid_audio_format / session_ended / session_completed; 404; 410; 413 chunk_too_large.</summary>
    private static async Task<JsonReply> UploadRaw(string id, string fileName, HttpContext http, SessionStore store, ServerSettings settings, FaultInjector faults)
    {
        if (Refusal(id, store, settings, faults, out var session) is { } refused) return refused;
        if (!AudioRules.TryParseName(fileName, out var sequence, out var storedName, out var extension, out var error)) return error;
        if (!AudioRules.TryResolveFormat(http.Request.ContentType, extension, out _, out error)) return error;
        if (http.Request.ContentLength > AudioRules.MaxChunkBytes) return AudioRules.TooLarge(settings.MsaDraft);
        if (await AudioRules.ReadBytesAsync(http.Request.Body, http.RequestAborted) is not { } bytes) return AudioRules.TooLarge(settings.MsaDraft);
        return Record(session, sequence, storedName, fileName, store, settings, faults, SpokenText.Of(bytes));
    }

    /// <summary>As <see cref="UploadRaw"/>, the file name and type taken from the single file part.</summary>
    private static async Task<JsonReply> UploadMultipart(string id, HttpContext http, SessionStore store, ServerSettings settings, FaultInjector faults)
    {
        if (Refusal(id, store, settings, faults, out var session) is { } refused) return refused;
        if (!MediaType.TryParse(http.Request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
            return ApiError.InvalidRequest("POST raw audio to {upload_url}/{file_name}, or multipart/form-data with one file part to {upload_url}.");

        (int Sequence, string StoredName, string FileName, string? Spoken)? file = null;
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
            while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
            {
                var isFile = ContentDisposition.TryParse(section.ContentDisposition, out var disposition)
                    && (disposition.FileName.HasValue || disposition.FileNameStar.HasValue);
                if (!isFile)
                {
                    if (await AudioRules.CountBytesAsync(section.Body, http.RequestAborted) is null) return AudioRules.TooLarge(settings.MsaDraft);
                    continue;
                }
                if (file is not null) return ApiError.InvalidRequest("A multipart upload must carry exactly one file part.");
                var rawName = HeaderUtilities.RemoveQuotes(disposition!.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                var fileName = Path.GetFileName(rawName.Replace('\\', '/'));
                if (!AudioRules.TryParseName(fileName, out var sequence, out var storedName, out var extension, out var error)) return error;
                if (!AudioRules.TryResolveFormat(section.ContentType, extension, out _, out error)) return error;
                if (await AudioRules.ReadBytesAsync(section.Body, http.RequestAborted) is not { } bytes) return AudioRules.TooLarge(settings.MsaDraft);
                file = (sequence, storedName, fileName, SpokenText.Of(bytes));
            }
        }
        catch (InvalidDataException ex)
        {
            return ApiError.InvalidRequest($"The multipart body could not be read: {ex.Message}");
        }
        if (file is not { } f) return ApiError.InvalidRequest("The multipart body has no file part.");
        return Record(session, f.Sequence, f.StoredName, f.FileName, store, settings, faults, f.Spoken);
    }

    /// <summary>Why the session takes no audio now, or null when it does.</summary>
    private static JsonReply? Refusal(string id, SessionStore store, ServerSettings settings, FaultInjector faults, out Session session)
    {
        session = store.Find(id)!;
        if (session is null) return ApiError.SessionNotFound(id);
        // A session uses one transport (UPL-29): a stream session takes its audio over its WebSocket only.
        if (session.UploadType == "stream" && !faults.StreamSessionAcceptsChunks)
            return ApiError.InvalidRequest("This session streams its audio over its upload_url (a WebSocket); it takes no HTTP chunk uploads.");
        return session.Snapshot().PhaseAt(store.Now(), settings.ProcessingTime) switch
        {
            SessionPhase.Initialized => null,
            SessionPhase.Expired => ApiError.SessionExpired(id),
            SessionPhase.Processing => ApiError.SessionEnded(id),
            _ => ApiError.SessionCompleted(id),
        };
    }

    private static JsonReply Record(Session session, int sequence, string storedName, string originalName, SessionStore store, ServerSettings settings,
        FaultInjector faults, string? spoken)
    {
        if (!session.TryAddAudio(sequence, storedName, spoken))
            return Refusal(session.Id, store, settings, faults, out _) ?? ApiError.SessionEnded(session.Id); // ended while the bytes arrived
        return new JsonReply(200, new System.Text.Json.Nodes.JsonObject
        {
            ["session_id"] = session.Id,
            ["success"] = true,
            ["original_filename"] = originalName,
        });
    }
}
