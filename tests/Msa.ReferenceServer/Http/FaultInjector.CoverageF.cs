using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The faults of the "Coverage F" block (the last MUST rows of requirements.md): field types per state, expiry that
/// never comes, answers crossing between sessions, session id form, Create's templates, cookies, upload edge cases.
/// </summary>
internal sealed partial class FaultInjector
{
    /// <summary>Uploads to each session still being answered: one that arrives while another is in flight overlaps it.</summary>
    private readonly ConcurrentDictionary<string, int> uploadsInFlight = new(StringComparer.Ordinal);
    private AnsweredBody? lastAnswered;
    private int answersSinceCross;

    /// <summary>A Get Session answer as given, kept so a later answer for another session can be crossed with it.</summary>
    private sealed record AnsweredBody(string SessionId, int Status, JsonObject Body);

    /// <summary>The phase a session is answered in under this block's faults.</summary>
    private void CoverageFPhase(SessionSnapshot s, ref SessionPhase phase)
    {
        if (phase == SessionPhase.Expired && On(Fault.NeverExpires)) phase = s.Ended ? SessionPhase.Processing : SessionPhase.Initialized;
    }

    /// <summary>Applies this block's Get Session faults to the finished body; a non-null result replaces the answer.</summary>
    private IResult? CoverageFAnswer(SessionSnapshot s, SessionPhase phase, int status, JsonObject body)
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

    /// <summary>The Create body as a server with this block's faults reads it.</summary>
    private string CoverageFCreateRequest(string text)
    {
        if (!(On(Fault.SessionIdWithoutPrefix) || On(Fault.CreateAcceptsMissingTemplates)) || Parse(text) is not { } body) return text;
        if (On(Fault.SessionIdWithoutPrefix) && !body.ContainsKey("session_id"))
            body["session_id"] = "sess-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(20, lowercase: true);
        if (On(Fault.CreateAcceptsMissingTemplates) && !body.ContainsKey("templates")) body["templates"] = new JsonArray();
        return body.ToJsonString();
    }

    /// <summary>The 201 answer under this block's faults: a cookie set, or a crash for an unknown template id.</summary>
    private JsonReply CoverageFCreated(JsonReply reply, JsonObject body)
    {
        if (On(Fault.UnknownTemplateCreateAs500) && store.Find(body["session_id"]!.GetValue<string>()) is { } session
            && session.RequestedTemplates.Any(t => !CannedResults.IsKnown(t)))
            return ApiError.Reply(500, "internal_error", "The reference server failed: KeyNotFoundException.");
        if (On(Fault.CreateSetsCookieWithoutHttpOnly))
            reply.WithHeader("Set-Cookie", $"msa_session={body["session_id"]}; Path=/; Secure; SameSite=Lax");
        return reply;
    }

    private const string OverlapKey = "msa.upload-overlapped";

    /// <summary>
    /// OverlappingUploadsLost: each upload is held a moment (slow storage) and counted while it is in flight; one that
    /// met another upload to the same session in that time overlapped it. Uploads sent one after another never do.
    /// </summary>
    public async Task HoldAsync(string? endpointName, HttpContext http)
    {
        if (endpointName != AudioEndpoints.UploadRawName || !On(Fault.OverlappingUploadsLost) || http.GetRouteValue("id") is not string id) return;
        var arrived = uploadsInFlight.AddOrUpdate(id, 1, (_, n) => n + 1);
        http.Response.OnCompleted(() =>
        {
            uploadsInFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
            return Task.CompletedTask;
        });
        await Task.Delay(40, http.RequestAborted);
        if (arrived > 1 || uploadsInFlight.GetValueOrDefault(id) > 1) http.Items[OverlapKey] = true;
    }

    /// <summary>An upload answered before the handler runs under this block's faults; null lets it through.</summary>
    private IResult? CoverageFBefore(string? endpointName, HttpContext http)
    {
        if (endpointName != AudioEndpoints.UploadRawName) return null;
        if (On(Fault.UploadRequiresContentType) && string.IsNullOrEmpty(http.Request.ContentType))
            return ApiError.Reply(400, "invalid_audio_format", "Content-Type is required.");
        if (!On(Fault.OverlappingUploadsLost) || http.GetRouteValue("id") is not string id) return null;
        return http.Items.ContainsKey(OverlapKey) ? AcceptedUpload(id, http.GetRouteValue("fileName") as string) : null;
    }
}
