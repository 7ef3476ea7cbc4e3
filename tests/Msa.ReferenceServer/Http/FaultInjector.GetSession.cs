using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Sessions;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// Faults in Get Session bodies: values (timestamps, model, language, transcript, counts), template results, the phase a
/// session is answered in, field types per state, answers crossed between sessions, and how audio_files is listed.
/// </summary>
internal sealed partial class FaultInjector
{
    private const string UnrequestedTemplate = "conformance_unrequested_template";

    /// <summary>Applies these Get Session faults to the finished answer; a non-null result replaces the answer.</summary>
    private IResult? BodyValueFaults(SessionSnapshot s, SessionPhase phase, ref int status, JsonObject body)
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

    /// <summary>audio_files of an End or Get Session body under its faults.</summary>
    private void AudioFilesListing(JsonObject body)
    {
        if (body["audio_files"] is not JsonArray files) return;
        var names = files.Select(f => (string?)f).OfType<string>().ToList();
        if (On(Fault.AudioFilesSharedAcrossSessions))
            names = names.Union(answers.Values.SelectMany(m => m.ArrivalOrder())).Distinct().ToList();
        if (On(Fault.AudioFilesKeepUploadNames)) names = names.Select(n => "audio_" + n).ToList();
        if (On(Fault.AudioFilesSortedAsText)) names = names.Order(StringComparer.Ordinal).ToList();
        if (On(Fault.AudioFilesSharedAcrossSessions) || On(Fault.AudioFilesKeepUploadNames) || On(Fault.AudioFilesSortedAsText))
            body["audio_files"] = new JsonArray(names.Select(n => (JsonNode)n).ToArray());
    }

    private AnsweredBody? lastAnswered;

    private int answersSinceCross;

    /// <summary>A Get Session answer as given, kept so a later answer for another session can be crossed with it.</summary>
    private sealed record AnsweredBody(string SessionId, int Status, JsonObject Body);

    /// <summary>The phase a session is answered in under its faults.</summary>
    private void PhaseFaults(SessionSnapshot s, ref SessionPhase phase)
    {
        if (phase == SessionPhase.Expired && On(Fault.NeverExpires)) phase = s.Ended ? SessionPhase.Processing : SessionPhase.Initialized;
    }

    /// <summary>Applies these Get Session faults to the finished body; a non-null result replaces the answer.</summary>
    private IResult? FieldTypeAndCrossingFaults(SessionSnapshot s, SessionPhase phase, int status, JsonObject body)
    {
        if (On(Fault.NullAdditionalDataBreaksGet) && s.Session.AdditionalData is null)
            return new PlainReply(500, "text/plain; charset=utf-8", "Internal Server Error");
        if (phase is SessionPhase.Initialized or SessionPhase.Processing && On(Fault.PendingWithoutAdditionalData)) body.Remove("additional_data");
        if (body["processing_errors"] is JsonArray errors && On(Fault.ProcessingErrorsAsStrings))
            body["processing_errors"] = new JsonArray([.. errors.Select(e => (JsonNode?)(e?["message"]?.ToString() ?? "error"))]);
        if (phase == SessionPhase.Expired && On(Fault.ExpiredCarriesTranscript)) body["transcript"] = "Doctor: Good morning.";
        if (On(Fault.PresignedUrlOverHttp))
            foreach (var result in TemplateResultObjects(body["templates"]))
                result["presigned_url"] = $"http://storage.invalid/{result["document_id"]}.pdf";
        if (On(Fault.AdditionalDataGainsProtocolKey) && body["additional_data"] is JsonObject data && !data.ContainsKey("_protocol"))
            data["_protocol"] = new JsonObject { ["upload_type"] = s.Session.UploadType };
        if (!On(Fault.AnswersCrossBetweenSessions)) return null;
        var previous = Interlocked.Exchange(ref lastAnswered, new AnsweredBody(s.Id, status, body.DeepClone().AsObject()));
        return previous is not null && previous.SessionId != s.Id && Interlocked.Increment(ref answersSinceCross) % 3 == 0
            ? new JsonReply(previous.Status, previous.Body)
            : null;
    }
}
