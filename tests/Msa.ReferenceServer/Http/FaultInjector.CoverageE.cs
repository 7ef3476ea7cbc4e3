using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Endpoints;

namespace Msa.ReferenceServer.Http;

/// <summary>The coverage faults of wt-e (discovery fields, Create and End answers, communication_protocol validation).</summary>
internal sealed partial class FaultInjector
{
    private int discoveryAnswers;
    private string? firstCreatedId;
    private readonly ConcurrentDictionary<string, bool> authenticatedConnections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> endedAt = new(StringComparer.Ordinal);

    /// <summary>A second End's answer under this block's faults; null keeps the conforming refusal.</summary>
    private JsonReply? CoverageSecondEnd(JsonReply refusal, string id) =>
        On(Fault.SimultaneousEndsBothAccepted) && ErrorCode(refusal) == "session_ended" && store.Find(id) is { } session
            && endedAt.TryGetValue(id, out var first) && store.Now() - first < TimeSpan.FromSeconds(2)
            ? new JsonReply(202, Sessions.SessionBodies.Ended(session.Snapshot()))
            : null;

    /// <summary>Whether the request counts as authenticated under this block's faults (with none on: exactly when `valid`).</summary>
    public bool CoverageCredential(HttpContext http, string? endpointName, bool missing, bool valid)
    {
        if (valid && On(Fault.CredentialCarriedOverOnConnection)) authenticatedConnections[http.Connection.Id] = true;
        if (missing && On(Fault.CredentialCarriedOverOnConnection)) return authenticatedConnections.ContainsKey(http.Connection.Id);
        if (valid && On(Fault.EndRefusesProfileKeyForm) && endpointName == SessionEndpoints.EndSessionName)
            return settings.MsaDraft ? http.Request.Headers["X-API-Key"].Count == 0 : http.Request.Headers.Authorization.Count == 0;
        return valid;
    }

    /// <summary>Each discovery-document fault of this block, and the change (on a copy).</summary>
    private static readonly IReadOnlyDictionary<Fault, Action<JsonObject>> CoverageDocumentFaults = new Dictionary<Fault, Action<JsonObject>>
    {
        [Fault.DiscoveryServiceNameEmpty] = d => d["service"]!["name"] = "",
        [Fault.DiscoveryWithoutProModel] = d =>
        {
            var models = d["models"]!.AsArray();
            foreach (var pro in models.Where(m => (string?)m?["id"] == "pro").ToList()) models.Remove(pro);
        },
        [Fault.DiscoveryOidcWithoutBlock] = d => d["authentication"]!["supported_methods"]!.AsArray().Add("oidc"),
        [Fault.DeprecatedVersionDroppedBeforeSunset] = d => d["deprecated_versions"] = new JsonArray(new JsonObject
        {
            ["version"] = "0.0.9",
            ["sunset_date"] = DateTimeOffset.UtcNow.AddDays(90).ToString("yyyy-MM-dd"),
            ["migration_guide"] = "https://example.invalid/migrate-to-0.1",
        }),
        [Fault.DiscoveryBaseUrlWithoutSessions] = d => d["endpoints"]!["base_url"] = d["endpoints"]!["base_url"]!.GetValue<string>().TrimEnd('/') + "/nothing-here",
    };

    /// <summary>The discovery answer under this block's faults; null when none is on.</summary>
    private IResult? CoverageDiscovery(DiscoveryReply reply)
    {
        if (reply.Reply.StatusCode != 200) return null;
        if (On(Fault.DiscoveryRepeatedAnswersAsArray) && Interlocked.Increment(ref discoveryAnswers) > 1)
            return new JsonReply(200, new JsonArray(reply.Document.DeepClone()));
        if (!CoverageDocumentFaults.Keys.Any(On)) return null;
        var document = reply.Document.DeepClone().AsObject();
        foreach (var (fault, change) in CoverageDocumentFaults)
            if (On(fault)) change(document);
        return DiscoveryEndpoints.Served(document);
    }

    /// <summary>
    /// Each Create-validation fault of this block and how it rewrites the body: a lax server's repair (so the conforming
    /// validator accepts it) or a strict server's spoiling (the field made invalid, so the validator refuses it).
    /// </summary>
    private static readonly IReadOnlyDictionary<Fault, Action<JsonObject>> CoverageCreateRewrites = new Dictionary<Fault, Action<JsonObject>>
    {
        [Fault.CreateAcceptsMissingCommunicationProtocol] = b => { if (!b.ContainsKey("communication_protocol")) b["communication_protocol"] = "http"; },
        [Fault.CreateAcceptsUnknownCommunicationProtocol] = b =>
        {
            if (b.ContainsKey("communication_protocol") && Text(b["communication_protocol"]) is not ("http" or "websocket" or "rpc")) b["communication_protocol"] = "http";
        },
        [Fault.CreateAcceptsUnknownSessionMode] = b => { if (Text(b["session_mode"]) is { } m && m is not ("consultation" or "dictation")) b.Remove("session_mode"); },
        [Fault.CreateRequiresTemplates] = b => { if (!b.ContainsKey("templates")) b["templates"] = 0; },
        [Fault.CreateRequiresLanguageHint] = b => { if (!b.ContainsKey("language_hint")) b["language_hint"] = 0; },
        [Fault.CreateRefusesSeveralLanguageHints] = b => { if (b["language_hint"] is JsonArray { Count: > 1 }) b["language_hint"] = 0; },
        [Fault.CreateRefusesAutoDetect] = b => { if (b["language_hint"] is JsonArray hints && hints.Any(h => Text(h) == "auto_detect")) b["language_hint"] = 0; },
        [Fault.CreateRefusesTranscriptLanguageString] = b => { if (Text(b["transcript_language"]) is not null) b["transcript_language"] = 0; },
        [Fault.CreateRefusesSessionMode] = b => { if (b.ContainsKey("session_mode")) b["session_mode"] = 0; },
    };

    /// <summary>The Create body as a server with this block's validation faults reads it.</summary>
    private string CoverageECreateRequest(string text)
    {
        if (!CoverageCreateRewrites.Keys.Any(On) || Parse(text) is not { } body) return text;
        foreach (var (fault, rewrite) in CoverageCreateRewrites)
            if (On(fault)) rewrite(body);
        return body.ToJsonString();
    }

    /// <summary>The 201 body under this block's faults.</summary>
    private void CoverageCreated(JsonObject body)
    {
        if (On(Fault.CreatedSessionIdRepeated))
        {
            var first = Interlocked.CompareExchange(ref firstCreatedId, (string?)body["session_id"], null);
            if (first is not null) body["session_id"] = first;
        }
        if (On(Fault.CreatedWithoutPatientDetails)) body.Remove("patient_details");
        if (On(Fault.CreatedUploadUrlPlainHttp) && Uri.TryCreate((string?)body["upload_url"], UriKind.Absolute, out var upload))
            body["upload_url"] = $"http://uploads.msa-conformance.invalid{upload.PathAndQuery}";
    }

    /// <summary>The End 202 body under this block's faults.</summary>
    private void CoverageEnd(JsonObject body)
    {
        if ((string?)body["session_id"] is { } ended) endedAt.TryAdd(ended, store.Now());
        if (On(Fault.EndMessageEmpty)) body["message"] = "";
        CoverageAudioFiles(body);
    }

    /// <summary>audio_files of an End or Get Session body under this block's faults.</summary>
    private void CoverageAudioFiles(JsonObject body)
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

    /// <summary>An upload refusal under this block's faults.</summary>
    private IResult CoverageUploadRefusal(JsonReply refusal) => On(Fault.UploadErrorsAsHtml) && refusal.StatusCode >= 400
        ? new PlainReply(refusal.StatusCode, "text/html; charset=utf-8", "<html><body><h1>Upload failed</h1></body></html>")
        : refusal;
}
