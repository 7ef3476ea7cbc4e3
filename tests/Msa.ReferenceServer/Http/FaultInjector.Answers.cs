using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The faults of Create, Upload and End answers, of expiry, and of the audio_files / additional_data fields of Get
/// Session. Refusals happen in <see cref="Before"/> (nothing is stored); a fault that makes a refusal look like success
/// only changes the answer (nothing is stored either).
/// </summary>
internal sealed partial class FaultInjector
{
    private readonly ConcurrentDictionary<string, AnswerMemory> answers = new(StringComparer.Ordinal);

    /// <summary>A refusal to answer instead of running the handler; null lets the request through.</summary>
    public IResult? Before(string? endpointName, HttpContext http)
    {
        if (endpointName == AudioEndpoints.UploadMultipartName && On(Fault.MultipartUploadRefused))
            return ApiError.Reply(404, "not_found", $"No endpoint for {http.Request.Method} {http.Request.Path}.");
        if (endpointName == AudioEndpoints.UploadRawName && On(Fault.OggUploadsRefused)
            && string.Equals(http.Request.ContentType?.Trim(), "audio/ogg", StringComparison.OrdinalIgnoreCase))
            return ApiError.Reply(400, "invalid_audio_format", "Audio format 'audio/ogg' is not supported");
        return UploadBefore(endpointName, http);
    }

    /// <summary>The Create, Upload or End answer with the switched-on faults applied.</summary>
    public object? After(string? endpointName, HttpContext http, object? result)
    {
        if (result is not JsonReply reply) return result;
        var id = http.GetRouteValue("id") as string ?? "";
        IResult answer = endpointName switch
        {
            AudioEndpoints.UploadRawName or AudioEndpoints.UploadMultipartName => Upload(reply, id, http.GetRouteValue("fileName") as string),
            SessionEndpoints.EndSessionName => End(reply, id),
            _ => reply,
        };
        if (answer is not JsonReply { StatusCode: >= 400, Body: JsonObject body } error || body["error"] is not JsonObject envelope) return answer;
        ErrorEnvelopeFaults(error, envelope);
        if (On(Fault.ErrorCodesUpperCase) && envelope["code"] is JsonValue code) envelope["code"] = code.ToString().ToUpperInvariant();
        if (On(Fault.ErrorsAsTextPlain) && endpointName != SessionEndpoints.CreateSessionName) error.ContentType = "text/plain; charset=utf-8";
        return error;
    }

    private IResult Upload(JsonReply reply, string id, string? fileName)
    {
        var body = reply.Body as JsonObject;
        if (reply.StatusCode == 200 && body is not null)
        {
            Remember(id).Arrived((string?)body["original_filename"]);
            if (On(Fault.UploadAnswers204)) return Results.NoContent();
            if (On(Fault.UploadSuccessFalse)) body["success"] = false;
            if (On(Fault.UploadBodyWithoutOriginalFilename)) body.Remove("original_filename");
            return reply;
        }
        switch (ErrorCode(reply))
        {
            case "session_completed" when On(Fault.UploadAcceptedAfterCompletion):
            case "invalid_audio_format" when On(Fault.UnsupportedFormatAccepted):
            case "chunk_too_large" when On(Fault.OversizeChunkAccepted):
            case "session_ended" when On(Fault.UploadAcceptedAfterEnd):
            case "session_expired" when On(Fault.UploadAcceptedAfterExpiry):
                return AcceptedUpload(id, fileName);
            case "session_completed" when On(Fault.UploadAfterCompletionSaysSessionEnded):
                return ApiError.SessionEnded(id);
            case "session_ended" when On(Fault.EndedUploadRefusedWithWrongCode):
                return ApiError.Reply(409, "session_locked", $"Session '{id}' is locked.");
            case "session_expired" when On(Fault.ExpiredUploadRefusedWith400):
                return ApiError.SessionEnded(id);
            case "session_not_found" when On(Fault.UnknownSessionUploadCodeNotFound):
                return ApiError.Reply(404, "not_found", $"Session '{id}' does not exist.");
            case "session_not_found" when On(Fault.ErrorCodeStatusMismatch):
                reply.StatusCode = 400;
                break;
        }
        if (On(Fault.UploadErrorsWithoutEnvelope) && body?["error"]?["message"] is { } message)
            reply.Body = new JsonObject { ["detail"] = message.DeepClone() };
        return UploadRefusal(reply);
    }

    /// <summary>The upload success body a faulty server gives for a chunk it refused or did not store.</summary>
    private static JsonReply AcceptedUpload(string id, string? fileName) =>
        new(200, new JsonObject { ["session_id"] = id, ["success"] = true, ["original_filename"] = fileName });

    private IResult End(JsonReply reply, string id)
    {
        if (reply.StatusCode == 202 && reply.Body is JsonObject body)
        {
            if (On(Fault.EndAnswers200)) reply.StatusCode = 200;
            if (On(Fault.EndBodyWithoutAudioFiles)) body.Remove("audio_files");
            if (On(Fault.EndBodyWrongSessionId)) body["session_id"] = id.ToUpperInvariant();
            if (On(Fault.EndStatusQueued)) body["status"] = "queued";
            if (On(Fault.EndCountsOneMore)) body["audio_files_received"] = (int)body["audio_files_received"]! + 1;
            if (On(Fault.EndListsFilesReversed) && body["audio_files"] is JsonArray files)
                body["audio_files"] = new JsonArray(files.Reverse().Select(f => f!.DeepClone()).ToArray());
            if (store.Find(id) is { } ended) InArrivalOrder(ended.Snapshot(), body);
            EndBodyFaults(body);
            return reply;
        }
        var session = store.Find(id);
        if (SecondEndAnswer(reply, id) is { } alsoAccepted) return alsoAccepted;
        return ErrorCode(reply) switch
        {
            "session_ended" when On(Fault.SecondEndAccepted) && session is not null => new JsonReply(202, SessionBodies.Ended(session.Snapshot())),
            "session_expired" when On(Fault.EndAcceptedAfterExpiry) && session is not null => new JsonReply(202, SessionBodies.Ended(session.Snapshot())),
            "session_not_found" when On(Fault.UnknownSessionEndWithoutEnvelope) => new PlainReply(404, "text/plain; charset=utf-8", "Not Found"),
            _ => reply,
        };
    }

    /// <summary>Expiry faults of Get Session: too early, or forgotten after the first 410. Returns the answer that replaces the session body.</summary>
    private IResult? Expiry(SessionSnapshot s, ref SessionPhase phase)
    {
        if (phase == SessionPhase.Initialized && On(Fault.ExpiredBeforeExpiresAt)
            && store.Now() >= s.Session.CreatedAt + settings.SessionLifetime / 1000) phase = SessionPhase.Expired;
        if (phase != SessionPhase.Expired || !On(Fault.ExpiredSessionForgotten)) return null;
        var memory = Remember(s.Id);
        lock (memory.Gate)
        {
            if (memory.ExpiredServed) return ApiError.SessionNotFound(s.Id);
            memory.ExpiredServed = true;
            return null;
        }
    }

    /// <summary>Get Session's audio_files, audio_files_received and additional_data faults.</summary>
    private void AudioFilesAndAdditionalData(SessionSnapshot s, SessionPhase phase, JsonObject body)
    {
        InArrivalOrder(s, body);
        if (s.Ended && On(Fault.EndMismatchHidden) && s.AudioFilesSent > s.AudioFiles.Count)
            body["audio_files_received"] = (int)s.AudioFilesSent.Value;
        if (phase == SessionPhase.Expired && On(Fault.AdditionalDataMissingWhenExpired)) body.Remove("additional_data");
        if (body["additional_data"] is not JsonObject data) return;
        if (On(Fault.AdditionalDataNullsDropped)) DropNulls(data);
        if (On(Fault.ProtocolKeyWithoutTemplates) && data["_protocol"] is JsonObject reserved) reserved["requested_templates"] = new JsonArray();
    }

    /// <summary>audio_files in the order the chunks arrived (each name at its first arrival), when that fault is on.</summary>
    private void InArrivalOrder(SessionSnapshot s, JsonObject body)
    {
        if (!On(Fault.AudioFilesInArrivalOrder) || body["audio_files"] is not JsonArray) return;
        var arrived = Remember(s.Id).ArrivalOrder();
        var ordered = arrived.Where(s.AudioFiles.Contains).Concat(s.AudioFiles.Except(arrived));
        body["audio_files"] = new JsonArray(ordered.Select(f => (JsonNode)f).ToArray());
    }

    private static void DropNulls(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList()) obj.Remove(key);
            foreach (var (_, value) in obj) DropNulls(value);
        }
        else if (node is JsonArray array)
            foreach (var item in array) DropNulls(item);
    }

    private static string? ErrorCode(JsonReply reply) => reply.Body["error"]?["code"] is JsonValue code ? code.ToString() : null;

    private AnswerMemory Remember(string sessionId) => answers.GetOrAdd(sessionId, _ => new AnswerMemory());

    /// <summary>What the answer faults remember about one session: the stored names in arrival order, and whether a 410 was served.</summary>
    private sealed class AnswerMemory
    {
        public readonly Lock Gate = new();
        private readonly List<string> arrivals = [];
        public bool ExpiredServed;

        /// <summary>Records an accepted chunk under the name the session stores it as (audio_2.wav → 2.wav).</summary>
        public void Arrived(string? originalName)
        {
            if (originalName is null || !AudioRules.TryParseName(originalName, out _, out var stored, out _, out _)) return;
            lock (Gate) if (!arrivals.Contains(stored)) arrivals.Add(stored);
        }

        public List<string> ArrivalOrder() { lock (Gate) return [.. arrivals]; }
    }
}
