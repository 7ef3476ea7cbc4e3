using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;
using Msa.ReferenceServer.Webhooks;

namespace Msa.ReferenceServer.Endpoints;

/// <summary>
/// Webhook registration, listing and deletion (spec 10.2, 10.3) at <c>{base}/webhooks</c>, which discovery advertises
/// as <c>endpoints.webhooks_url</c>; and the hook that turns session answers into events.
/// </summary>
internal static class WebhookEndpoints
{
    public const string RegisterName = "RegisterWebhook";
    public const string ListName = "ListWebhooks";
    public const string DeleteName = "DeleteWebhook";

    public static bool Names(string? endpointName) => endpointName is RegisterName or ListName or DeleteName;

    /// <summary>Maps the webhook endpoints when webhooks are offered; needs the bearer token; answers pass the fault injector.</summary>
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder root, WebhookDeliveryOptions webhooks)
    {
        if (!webhooks.Enabled) return root;
        var group = root.MapGroup("/webhooks").RequireCredential();
        group.AddEndpointFilter(async (context, next) =>
        {
            var services = context.HttpContext.RequestServices;
            return services.GetRequiredService<FaultInjector>()
                .WebhookAnswer(EndpointName(context.HttpContext), await next(context), services.GetRequiredService<WebhookRegistry>());
        });
        group.MapPost("", Register).WithName(RegisterName);
        group.MapGet("", List).WithName(ListName);
        group.MapDelete("/{id}", Delete).WithName(DeleteName);
        return root;
    }

    /// <summary>Create answering 201 publishes session.started; End answering 202 publishes session.ended and schedules the outcome.</summary>
    public static RouteGroupBuilder WithWebhookEvents(this RouteGroupBuilder sessions, WebhookDeliveryOptions webhooks)
    {
        if (!webhooks.Enabled) return sessions;
        sessions.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if (result is not JsonReply { StatusCode: 201 or 202, Body: JsonObject body } reply
                || body["session_id"] is not JsonValue id || !id.TryGetValue<string>(out var sessionId)) return result;
            var services = context.HttpContext.RequestServices;
            if (services.GetRequiredService<SessionStore>().Find(sessionId) is not { } session) return result;
            var events = services.GetRequiredService<SessionEvents>();
            switch (EndpointName(context.HttpContext), reply.StatusCode)
            {
                case ("CreateSession", 201): events.Created(session); break;
                case ("EndSession", 202): await events.EndedAsync(session); break;
            }
            return result;
        });
        return sessions;
    }

    private static string? EndpointName(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;

    /// <summary>201 with the registration; 400 when url, events or secret are missing or unusable.</summary>
    private static async Task<JsonReply> Register(HttpContext http, WebhookRegistry registry, SessionStore store, WebhookDeliveryOptions options,
        FaultInjector faults)
    {
        if (await RequestBody.ReadTextAsync(http.Request, http.RequestAborted) is not { } text) return RequestBody.TooLarge();
        if (Problem(text, out var url, out var events, out var secret) is { } refused) return refused;
        if (options.HttpsOnly && !url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && !faults.PlainHttpWebhookAccepted)
            return ApiError.InvalidRequest("url must be an https URL (spec 10.2, 12.1).");
        var registration = new WebhookRegistration(WebhookRegistry.NewId(), url, events, secret, store.Now(), Credentials.CallerOf(http));
        registry.Add(registration);
        return new JsonReply(201, registration.ToJson());
    }

    private static JsonReply List(HttpContext http, WebhookRegistry registry, FaultInjector faults) =>
        new(200, new JsonObject { ["webhooks"] = new JsonArray([.. faults.WebhookListing(registry, Credentials.CallerOf(http)).Select(r => (JsonNode)r.ToJson())]) });

    private static IResult Delete(string id, WebhookRegistry registry) => registry.Remove(id)
        ? new NoContentReply()
        : ApiError.Reply(404, "webhook_not_found", $"Webhook '{id}' does not exist.");

    /// <summary>The 400 answer for a registration body that cannot be accepted, or null with its parts.</summary>
    private static JsonReply? Problem(string text, out string url, out IReadOnlyList<string> events, out string? secret)
    {
        (url, events, secret) = ("", [], null);
        JsonObject? body;
        try { body = JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { body = null; }
        if (body is null) return ApiError.InvalidRequest("The body must be a JSON object {\"url\", \"events\", \"secret\"?}.");
        if (body["url"] is null) return Missing("url");
        if (body["events"] is null) return Missing("events");
        if (body["url"] is not JsonValue u || !u.TryGetValue(out url!) || !Uri.TryCreate(url, UriKind.Absolute, out var target)
            || target.Scheme is not ("http" or "https"))
            return ApiError.InvalidRequest("url must be an absolute http(s) URL.");
        if (!target.IsLoopback)
            return ApiError.InvalidRequest("This reference server delivers only to loopback addresses (127.0.0.1, ::1, localhost).");
        if (body["events"] is not JsonArray list || list.Count == 0 || list.Any(e => e is not JsonValue v || !v.TryGetValue<string>(out _)))
            return ApiError.InvalidRequest("events must be a non-empty list of event names.");
        events = [.. list.Select(e => e!.GetValue<string>()).Distinct(StringComparer.Ordinal)];
        if (events.FirstOrDefault(e => !WebhookRegistry.Events.Contains(e)) is { } unknown)
            return ApiError.InvalidRequest($"Unknown event '{unknown}'; the events are {string.Join(", ", WebhookRegistry.Events)}.");
        if (body["secret"] is JsonValue s && (!s.TryGetValue(out secret) || secret.Length == 0))
            return ApiError.InvalidRequest("secret, when given, must be a non-empty string.");
        if (body["secret"] is not (null or JsonValue)) return ApiError.InvalidRequest("secret, when given, must be a non-empty string.");
        return null;
    }

    private static JsonReply Missing(string field) => ApiError.Reply(400, "missing_required_field", $"The field '{field}' is required.");
}

/// <summary>204 No Content.</summary>
internal sealed class NoContentReply : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
