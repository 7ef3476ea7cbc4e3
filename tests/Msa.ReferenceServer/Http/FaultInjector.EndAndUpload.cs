using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Sessions;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// Faults of End Session and Upload Audio answers (second End, End body, upload refusals, overlapping uploads) and of
/// the error envelope Create, Upload and End send.
/// </summary>
internal sealed partial class FaultInjector
{
    /// <summary>An error envelope of Create, Upload or End with the faults of this part applied.</summary>
    private void ErrorEnvelopeFaults(JsonReply error, JsonObject envelope)
    {
        if (On(Fault.ErrorMessageEmpty)) envelope["message"] = "";
        var code = envelope["code"]?.ToString();
        if (code is "session_ended" or "session_completed" && On(Fault.EndedCodesWith409)) error.StatusCode = 409;
        if (code == "chunk_too_large" && On(Fault.ChunkTooLargeWith400)) error.StatusCode = 400;
        if (code == "chunk_too_large" && On(Fault.ChunkTooLargeWith413)) error.StatusCode = 413;
    }

    private readonly ConcurrentDictionary<string, DateTimeOffset> endedAt = new(StringComparer.Ordinal);

    /// <summary>A second End's answer under its faults; null keeps the conforming refusal.</summary>
    private JsonReply? SecondEndAnswer(JsonReply refusal, string id) =>
        On(Fault.SimultaneousEndsBothAccepted) && ErrorCode(refusal) == "session_ended" && store.Find(id) is { } session
            && endedAt.TryGetValue(id, out var first) && store.Now() - first < TimeSpan.FromSeconds(2)
            ? new JsonReply(202, Sessions.SessionBodies.Ended(session.Snapshot()))
            : null;

    /// <summary>The End 202 body under its faults.</summary>
    private void EndBodyFaults(JsonObject body)
    {
        if ((string?)body["session_id"] is { } ended) endedAt.TryAdd(ended, store.Now());
        if (On(Fault.EndMessageEmpty)) body["message"] = "";
        AudioFilesListing(body);
    }

    /// <summary>An upload refusal under its faults.</summary>
    private IResult UploadRefusal(JsonReply refusal) => On(Fault.UploadErrorsAsHtml) && refusal.StatusCode >= 400
        ? new PlainReply(refusal.StatusCode, "text/html; charset=utf-8", "<html><body><h1>Upload failed</h1></body></html>")
        : refusal;

    /// <summary>Uploads to each session still being answered: one that arrives while another is in flight overlaps it.</summary>
    private readonly ConcurrentDictionary<string, int> uploadsInFlight = new(StringComparer.Ordinal);

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

    /// <summary>An upload answered before the handler runs under its faults; null lets it through.</summary>
    private IResult? UploadBefore(string? endpointName, HttpContext http)
    {
        if (endpointName != AudioEndpoints.UploadRawName) return null;
        if (On(Fault.UploadRequiresContentType) && string.IsNullOrEmpty(http.Request.ContentType))
            return ApiError.Reply(400, "invalid_audio_format", "Content-Type is required.");
        if (!On(Fault.OverlappingUploadsLost) || http.GetRouteValue("id") is not string id) return null;
        return http.Items.ContainsKey(OverlapKey) ? AcceptedUpload(id, http.GetRouteValue("fileName") as string) : null;
    }
}
