using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Endpoints;

/// <summary>Create, End and Get Session (digest §4, §7, §8; the seed is the source of truth for Get).</summary>
internal static class SessionEndpoints
{
    public const string GetSessionName = "GetSession";
    public const string CreateSessionName = "CreateSession";
    public const string EndSessionName = "EndSession";

    public static RouteGroupBuilder MapSessions(this RouteGroupBuilder sessions)
    {
        sessions.MapPost("", Create).WithName(CreateSessionName);
        sessions.MapPost("/{id}/end", End).WithName(EndSessionName);
        sessions.MapGet("/{id}", Get).WithName(GetSessionName);
        return sessions;
    }

    /// <summary>201 created; 400 invalid_request / invalid_template; 409 duplicate session_id; 413 oversized body.</summary>
    private static async Task<JsonReply> Create(HttpContext http, SessionStore store, ServerSettings settings, FaultInjector faults,
        VariationInjector variations)
    {
        if (await RequestBody.ReadTextAsync(http.Request, http.RequestAborted) is not { } received) return RequestBody.TooLarge();
        if (faults.FirstCreateAttempt(received) is { } failed) return failed;
        var text = faults.CreateRequest(received);
        if (!CreateSessionRequest.TryParse(text, settings.MsaDraft, out var request, out var error)) return faults.CreateRefused(text, error);
        if (faults.TemplatesRefused(request.Templates) is { } refused) return refused;
        if (request.UploadType == "stream" && faults.StreamCreateRefused) return ApiError.InvalidRequest("upload_type 'stream' is not supported by this server.");
        if (variations.TemplatesRefused(request.Templates) is { } refusedByVariation) return refusedByVariation;

        var now = store.Now();
        var baseUrl = DiscoveryEndpoints.BaseUrl(http, settings);
        var id = request.SessionId ?? SessionStore.NewSessionId();
        var session = new Session
        {
            Id = id,
            Tenant = Credentials.CallerOf(http),
            UploadUrl = request.UploadType == "stream"
                ? faults.StreamUploadUrl(StreamEndpoints.StreamUrlFor(baseUrl, id), Session.UploadUrlFor(baseUrl, id))
                : variations.UploadUrl(Session.UploadUrlFor(baseUrl, id), baseUrl, id, request.UploadType),
            CreatedAt = now,
            // msa-draft (spec 6.5): a Create naming a model lives that model's max_session_duration_seconds; otherwise
            // (and with no model named) the configured lifetime, which tests shorten to see expiry.
            ExpiresAt = now + (settings.MsaDraft && !faults.IgnoresModelLifetime && request.ModelNamed
                && DiscoveryEndpoints.MaxSessionSeconds.TryGetValue(request.Model, out var seconds) ? TimeSpan.FromSeconds(seconds) : settings.SessionLifetime),
            UploadType = request.UploadType,
            CommunicationProtocol = request.CommunicationProtocol,
            Model = request.Model,
            RequestedTemplates = request.Templates,
            AdditionalData = request.AdditionalData,
            PatientDetails = request.PatientDetails,
        };
        if (!store.TryAdd(session))
            return ApiError.Reply(409, "invalid_request", $"A session with id '{id}' already exists.");
        return faults.Created(new JsonReply(201, SessionBodies.Created(session))
            .WithHeader("Location", $"{baseUrl}/sessions/{Uri.EscapeDataString(id)}"));
    }

    /// <summary>202 processing; 404 session_not_found; 400 session_ended / invalid_request; 410 session_expired.</summary>
    private static async Task<JsonReply> End(string id, HttpContext http, SessionStore store, ServerSettings settings, FaultInjector faults)
    {
        if (store.Find(id) is not { } session) return ApiError.SessionNotFound(id);
        if (faults.FirstEndAttempt(id) is { } failed) return failed;
        if (session.Snapshot().Ended) return ApiError.SessionEnded(id);
        var now = store.Now();
        if (now >= session.ExpiresAt) return ApiError.SessionExpired(id);

        if (await RequestBody.ReadTextAsync(http.Request, http.RequestAborted) is not { } text) return RequestBody.TooLarge();
        if (AudioFilesSent(text) is not { } sent) return ApiError.InvalidRequest("The body must be {\"audio_files_sent\": n} with n an integer >= 0.");

        if (!session.TryEnd(now, sent, files => CannedResults.DocumentsFor(session.RequestedTemplates, files)))
            return ApiError.SessionEnded(id);
        return new JsonReply(202, SessionBodies.Ended(session.Snapshot()));
    }

    /// <summary>The seed's state table: 202 / 200 / 206 / 200 failed / 410 / 404. Faults are applied by the group's filter.</summary>
    private static SessionReply Get(string id, [FromQuery(Name = "template_id")] string? templateId, SessionStore store, ServerSettings settings)
    {
        // The community draft defines no query parameters, so msa-draft ignores the filter (TPL-FLT-07).
        var filter = string.IsNullOrEmpty(templateId) || settings.MsaDraft ? null : templateId;
        if (store.Find(id) is not { } session)
            return new SessionReply(id, ApiError.SessionNotFound(id), null, SessionPhase.Unknown, filter);
        var snapshot = session.Snapshot();
        var phase = snapshot.PhaseAt(store.Now(), settings.ProcessingTime);
        var (status, body) = SessionBodies.ForPhase(snapshot, phase, filter, settings.ProcessingTime, settings.Profile);
        return new SessionReply(id, new JsonReply(status, body), snapshot, phase, filter);
    }

    /// <summary>The body's audio_files_sent when it is an integer >= 0 (3 and 3.0 alike, as JSON Schema's "integer"); otherwise null.</summary>
    private static decimal? AudioFilesSent(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject body
                && body.TryGetPropertyValue("audio_files_sent", out var node)
                && node is JsonValue value
                && value.GetValueKind() == JsonValueKind.Number
                && value.TryGetValue<JsonElement>(out var element)
                && element.TryGetDecimal(out var count)
                && count >= 0 && decimal.Truncate(count) == count
                ? count : null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
