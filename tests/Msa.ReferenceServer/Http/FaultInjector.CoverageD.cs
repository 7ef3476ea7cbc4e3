using System.Text.Json.Nodes;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The faults of the "Coverage (wt-d)" block: values inside Get Session bodies (timestamps, model, language,
/// transcript, counts, template results), the expired answer, the error message, and Create's additional_data.
/// </summary>
internal sealed partial class FaultInjector
{
    private const string UnrequestedTemplate = "conformance_unrequested_template";

    /// <summary>Applies this block's Get Session faults to the finished answer; a non-null result replaces the answer.</summary>
    private IResult? CoverageAnswer(SessionSnapshot s, SessionPhase phase, ref int status, JsonObject body)
    {
        var pending = phase is SessionPhase.Initialized or SessionPhase.Processing;
        var results = phase is SessionPhase.Completed or SessionPhase.Partial;
        if (phase == SessionPhase.Expired && On(Fault.ExpiredAsErrorEnvelope)) return ApiError.SessionExpired(s.Id);
        if (phase == SessionPhase.Expired && On(Fault.ExpiredEnvelopeWrongCode)) return ApiError.Reply(410, "gone", $"Session '{s.Id}' is gone.");
        if (phase == SessionPhase.Failed && On(Fault.FailedSessionReportedExpired)) return new JsonReply(410, SessionBodies.Expired(s));
        if (phase == SessionPhase.Expired && On(Fault.ExpiredForgetsUploads)) ForgetUploads(body);
        if (phase == SessionPhase.Partial && On(Fault.PartialReportedCompleted)) (status, body["status"]) = (200, "completed");
        if (phase == SessionPhase.Completed && On(Fault.StatusMissingWhenCompleted)) body.Remove("status");
        if (phase == SessionPhase.Completed && On(Fault.CompletedTranscriptEmpty)) body["transcript"] = "";
        if (pending && On(Fault.PatientDetailsMissingWhilePending)) body.Remove("patient_details");
        if (pending && On(Fault.PendingTranscriptNull)) body["transcript"] = null;
        if (body["processing_errors"] is JsonArray errors && On(Fault.ProcessingErrorsWithoutType))
            foreach (var item in errors.OfType<JsonObject>()) item.Remove("type");
        if (body.ContainsKey("completed_at") && On(Fault.CompletedAtBeforeCreatedAt))
            body["completed_at"] = SessionBodies.Timestamp(s.Session.CreatedAt.AddHours(-1));
        if (body["model_used"] is JsonValue && On(Fault.ModelUsedNotAdvertised)) body["model_used"] = "turbo";
        if (body.ContainsKey("model_used") && body["additional_data"]?["model"] is JsonValue leaked && On(Fault.AdditionalDataModelUsed))
            body["model_used"] = leaked.DeepClone();
        if (body["language_detected"] is JsonValue && On(Fault.LanguageDetectedAsLocale)) body["language_detected"] = "en-US";
        if (body["audio_files_processed"] is JsonValue && On(Fault.ProcessedExceedsReceived))
            body["audio_files_processed"] = (int)body["audio_files_received"]! + 1;
        if (phase == SessionPhase.Processing && On(Fault.ProcessingForgetsUploads)) ForgetUploads(body);
        if (results) TemplateResults(phase, body);
        return null;
    }

    private static void ForgetUploads(JsonObject body)
    {
        body["audio_files_received"] = 0;
        body["audio_files"] = new JsonArray();
    }

    private void TemplateResults(SessionPhase phase, JsonObject body)
    {
        if (phase == SessionPhase.Partial && On(Fault.PartialDropsValidTemplates))
            body["templates"] = body["templates"] is JsonArray ? new JsonArray() : new JsonObject();
        if (On(Fault.FailedTemplateErrorAsString))
            foreach (var result in TemplateResultObjects(body["templates"]).Where(r => r["error"] is JsonObject))
                result["error"] = result["error"]!["message"]?.ToString();
        if (On(Fault.TemplateDataAsString))
            foreach (var result in TemplateResultObjects(body["templates"]).Where(r => r["status"]?.ToString() == "success"))
                result["data"] = result["data"]?.ToJsonString() ?? "";
        if (On(Fault.UnrequestedTemplateInResult) && TemplateResultObjects(body["templates"]).FirstOrDefault() is { } model)
        {
            var extra = model.DeepClone();
            if (body["templates"] is JsonArray list) list.Add(new JsonObject { [UnrequestedTemplate] = extra });
            else if (body["templates"] is JsonObject map) map[UnrequestedTemplate] = extra;
        }
    }

    /// <summary>The result objects of a templates list (single-key entries) or map.</summary>
    private static List<JsonObject> TemplateResultObjects(JsonNode? templates) => templates switch
    {
        JsonArray list => list.OfType<JsonObject>().SelectMany(e => e.Select(p => p.Value)).OfType<JsonObject>().ToList(),
        JsonObject map => map.Select(p => p.Value).OfType<JsonObject>().ToList(),
        _ => [],
    };

    /// <summary>An error envelope of Create, Upload or End with this block's faults applied.</summary>
    private void CoverageError(JsonReply error, JsonObject envelope)
    {
        if (On(Fault.ErrorMessageEmpty)) envelope["message"] = "";
        var code = envelope["code"]?.ToString();
        if (code is "session_ended" or "session_completed" && On(Fault.EndedCodesWith409)) error.StatusCode = 409;
        if (code == "chunk_too_large" && On(Fault.ChunkTooLargeWith400)) error.StatusCode = 400;
        if (code == "chunk_too_large" && On(Fault.ChunkTooLargeWith413)) error.StatusCode = 413;
    }

    /// <summary>The Create body as a server that ignores a non-object additional_data reads it.</summary>
    private string CoverageDCreateRequest(string text)
    {
        if (!On(Fault.CreateAcceptsNonObjectAdditionalData) || Parse(text) is not { } body
            || !body.ContainsKey("additional_data") || body["additional_data"] is JsonObject or null) return text;
        body.Remove("additional_data");
        return body.ToJsonString();
    }
}
