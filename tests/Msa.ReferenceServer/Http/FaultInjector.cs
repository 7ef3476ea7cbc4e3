using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The one place where every <see cref="Fault"/> takes effect. Handlers always build the conforming answer; this class
/// then changes the Get Session answer (<see cref="GetSession"/>), the 401 answer (<see cref="Unauthenticated"/>) and,
/// in FaultInjector.Answers.cs, the Create, Upload and End answers (<see cref="Before"/>, <see cref="After"/>).
/// With no fault switched on, each returns what it was given. Faults that depend on earlier requests keep a small
/// per-session memory here, never in the session itself. Discovery's faults are in FaultInjector.Discovery.cs,
/// Create Session's and MSA-Version's in FaultInjector.CreateSession.cs, the templates catalogue's in
/// FaultInjector.TemplatesCatalogue.cs.
/// </summary>
internal sealed partial class FaultInjector(ServerSettings settings, SessionStore store)
{
    private static readonly TimeSpan ThrottleGap = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, PollMemory> memory = new(StringComparer.Ordinal);

    private bool On(Fault fault) => settings.Has(fault);

    /// <summary>The answer to a request without a valid token; null lets the request through.</summary>
    public IResult? Unauthenticated(string? endpointName, bool credentialsMissing, string? sessionId)
    {
        if (credentialsMissing && On(Fault.NoCredentialAccepted) && endpointName == SessionEndpoints.GetSessionName) return null;
        if (!credentialsMissing && On(Fault.WrongCredentialAcceptedOnUpload) && endpointName == AudioEndpoints.UploadRawName) return null;
        // Sessions only: a webhook id in the same route slot is not a session to look up.
        if (sessionId is not null && On(Fault.SessionLookedUpBeforeAuth) && !WebhookEndpoints.Names(endpointName) && store.Find(sessionId) is null)
            return ApiError.SessionNotFound(sessionId);
        if (credentialsMissing && On(Fault.WebhooksAcceptNoCredential) && WebhookEndpoints.Names(endpointName)) return null;
        if (credentialsMissing && CatalogueOpenToAnonymous(endpointName)) return null;
        if (ForbiddenDetail() is { } forbidden) return forbidden;
        if (On(Fault.UnauthorizedWithoutEnvelope))
            return new PlainReply(401, "text/plain; charset=utf-8", "Unauthorized") { Headers = { ["WWW-Authenticate"] = "Bearer" } };
        return ApiError.Unauthorized(credentialsMissing, settings.MsaDraft).WithHeader("WWW-Authenticate", "Bearer");
    }

    /// <summary>The Get Session answer with the switched-on faults applied.</summary>
    public IResult GetSession(SessionReply reply)
    {
        var answer = reply.Snapshot is { } snapshot ? KnownSession(reply, snapshot) : UnknownSession(reply);
        if (answer is JsonReply json && On(Fault.TextPlainContentType)) json.ContentType = "text/plain; charset=utf-8";
        return answer;
    }

    private IResult UnknownSession(SessionReply reply) =>
        On(Fault.UnknownSessionWithoutEnvelope) ? new PlainReply(404, "text/html; charset=utf-8", "<html><body>Not Found</body></html>")
        : On(Fault.NotFoundCarriesStatus) ? NotFoundWithStatus()
        : OddIdCrash(reply.SessionId) ?? reply.Reply;

    private IResult KnownSession(SessionReply reply, SessionSnapshot s)
    {
        var now = store.Now();
        var phase = reply.Phase;
        var regress = false;

        // Faults that depend on this session's earlier GETs.
        var seen = memory.GetOrAdd(s.Id, _ => new PollMemory());
        lock (seen.Gate)
        {
            if (On(Fault.ThrottlesPolling))
            {
                if (seen.LastAnswered is { } last && now - last < ThrottleGap)
                    return ApiError.Reply(429, "rate_limit_exceeded", "Polling too fast: wait 2 s between GETs of a session.")
                        .WithHeader("Retry-After", "1");
                seen.LastAnswered = now;
            }
            if (s.Ended && !seen.AnsweredAfterEnd)
            {
                seen.AnsweredAfterEnd = true;
                if (On(Fault.NotFoundRightAfterEnd)) return ApiError.SessionNotFound(s.Id);
            }
            var finished = phase is SessionPhase.Completed or SessionPhase.Partial or SessionPhase.Failed;
            if (finished && On(Fault.NeverFinishes)) (phase, finished) = (SessionPhase.Processing, false);
            if (finished && On(Fault.TerminalRevertsTo202))
            {
                if (seen.TerminalServed) phase = SessionPhase.Processing;
                seen.TerminalServed = !seen.TerminalServed;
            }
            if (phase == SessionPhase.Processing && On(Fault.StatusRegressesToInitialized))
                regress = ++seen.ProcessingAnswers % 2 == 0;
        }

        PhaseFaults(s, ref phase);
        if (Expiry(s, ref phase) is { } forgotten) return forgotten;

        var (status, body) = phase == reply.Phase
            ? (reply.Reply.StatusCode, reply.Reply.Body.AsObject())
            : SessionBodies.ForPhase(s, phase, reply.TemplateFilter, settings.ProcessingTime, settings.Profile);
        var pending = phase is SessionPhase.Initialized or SessionPhase.Processing;

        // HTTP status code.
        if (phase == SessionPhase.Expired && On(Fault.ExpiredAs404)) return ApiError.SessionNotFound(s.Id);
        if (phase == SessionPhase.Processing && On(Fault.ProcessingAs200)) status = 200;
        if (phase == SessionPhase.Initialized && On(Fault.NotEndedAs200)) status = 200;
        if (phase == SessionPhase.Failed && On(Fault.FailedAs500)) status = 500;
        if (phase == SessionPhase.Partial && On(Fault.PartialAs200)) status = 200;

        // Body status.
        if (pending && On(Fault.UnknownStatusWhileProcessing)) body["status"] = "queued";
        else if (phase == SessionPhase.Initialized && On(Fault.ProcessingBeforeEnd)) body["status"] = "processing";
        else if (regress) body["status"] = "initialized";
        if (phase == SessionPhase.Completed && On(Fault.CompletedStatusMisspelt)) body["status"] = "complete";

        // Identity and timestamps.
        if (On(Fault.WrongSessionIdInBody)) body["session_id"] = s.Id.ToUpperInvariant();
        if (On(Fault.CreatedAtDrifts)) body["created_at"] = SessionBodies.Timestamp(now);
        if (On(Fault.TimestampsWithoutOffset) && body["created_at"] is JsonValue created)
            body["created_at"] = created.GetValue<string>().TrimEnd('Z');

        // Fields that go missing.
        if (pending && On(Fault.MissingExpiresAtWhileProcessing)) body.Remove("expires_at");
        if (phase == SessionPhase.Completed && On(Fault.CompletedWithoutTranscript)) body.Remove("transcript");
        if (phase == SessionPhase.Completed && s.Session.RequestedTemplates.Count == 0 && On(Fault.CompletedWithoutTemplatesLacksModelUsed)) body.Remove("model_used");
        if (phase == SessionPhase.Completed && On(Fault.UploadUrlMissingWhenCompleted)) body.Remove("upload_url");
        if (phase == SessionPhase.Failed && On(Fault.FailedWithoutAudioFiles)) body.Remove("audio_files");
        if (phase == SessionPhase.Partial && On(Fault.PartialWithoutProcessingErrors)) body.Remove("processing_errors");
        if (phase == SessionPhase.Expired && On(Fault.ExpiredWithoutExpiredAt)) body.Remove("expired_at");

        // Audio files.
        if (!s.Ended && On(Fault.GetForgetsUploadsBeforeEnd))
        {
            body["audio_files_received"] = 0;
            body["audio_files"] = new JsonArray();
        }
        if (s.Ended && On(Fault.EndAndGetDisagreeOnFiles) && body["audio_files"] is JsonArray files)
            body["audio_files"] = new JsonArray(files.Reverse().Select(f => f!.DeepClone()).ToArray());
        if (On(Fault.AudioCountMismatch) && body["audio_files"] is JsonArray listed)
            body["audio_files_received"] = listed.Count + 1;
        AudioFilesAndAdditionalData(s, phase, body);
        AudioFilesListing(body);

        // Templates.
        if (phase is SessionPhase.Completed or SessionPhase.Partial && body["templates"] is JsonArray templates)
            body["templates"] = Templates(s, phase, reply.TemplateFilter, templates);
        if (phase is SessionPhase.Completed or SessionPhase.Partial && body["templates"] is JsonObject && On(Fault.TemplatesAsList))
            body["templates"] = SessionBodies.Templates(s, reply.TemplateFilter);

        if (BodyValueFaults(s, phase, ref status, body) is { } replaced) return replaced;
        if (FieldTypeAndCrossingFaults(s, phase, status, body) is { } crossed) return crossed;
        // One transcript for all: the speech of every session the server holds, not only this one's (ISO-05).
        if (On(Fault.TranscriptsMixedAcrossSessions) && body["transcript"] is JsonValue t && t.TryGetValue<string>(out _))
            body["transcript"] = CannedResults.Transcript(s.AudioFiles, [.. store.All.SelectMany(other => other.Snapshot().Spoken)]);
        return new JsonReply(status, body);
    }

    private JsonNode Templates(SessionSnapshot s, SessionPhase phase, string? filter, JsonArray conforming)
    {
        var source = filter is not null && On(Fault.TemplateFilterIgnored) ? SessionBodies.Templates(s, null) : conforming;
        var entries = source.Select(e => e!.DeepClone().AsObject()).ToList();
        if (filter is not null && On(Fault.TemplateFilterDropsRepeats)) entries = entries.Take(1).ToList();
        if (phase == SessionPhase.Completed && On(Fault.CompletedMissesRequestedTemplate)
            && s.Session.RequestedTemplates.LastOrDefault() is { } lastRequested)
            entries.RemoveAll(e => e.ContainsKey(lastRequested));
        if (phase == SessionPhase.Completed && On(Fault.CompletedTemplateNotSuccess) && entries.FirstOrDefault() is { } first)
            Inner(first)["status"] = "failed";
        if (On(Fault.TemplateEntryWithoutStatus))
            foreach (var entry in entries) Inner(entry).Remove("status");
        if (On(Fault.TemplateEntryWithTwoKeys))
            foreach (var entry in entries) entry["meta"] = new JsonObject();
        if (!On(Fault.TemplatesAsMap)) return new JsonArray([.. entries]);

        var map = new JsonObject();
        foreach (var entry in entries)
            foreach (var (key, value) in entry)
                if (!map.ContainsKey(key)) map[key] = value?.DeepClone();
        return map;
    }

    private static JsonObject Inner(JsonObject entry) => entry.First().Value!.AsObject();

    /// <summary>What the stateful faults remember about one session's GETs.</summary>
    private sealed class PollMemory
    {
        public readonly Lock Gate = new();
        public DateTimeOffset? LastAnswered;
        public bool AnsweredAfterEnd;
        public bool TerminalServed;
        public int ProcessingAnswers;
    }
}
