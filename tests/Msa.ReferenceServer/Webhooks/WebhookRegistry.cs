using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Webhooks;

/// <summary>One registration (spec 10.2). The secret is kept for signing and never written into an answer.</summary>
internal sealed record WebhookRegistration(string Id, string Url, IReadOnlyList<string> Events, string? Secret, DateTimeOffset CreatedAt,
    string Tenant = Http.Credentials.Primary)
{
    /// <summary>The registration as the API shows it: without the secret.</summary>
    public JsonObject ToJson() => new()
    {
        ["webhook_id"] = Id,
        ["url"] = Url,
        ["events"] = new JsonArray(Events.Select(e => (JsonNode)e).ToArray()),
        ["status"] = "active",
        ["created_at"] = SessionBodies.Timestamp(CreatedAt),
    };
}

/// <summary>The webhook registrations of one server instance.</summary>
internal sealed class WebhookRegistry
{
    /// <summary>The events of spec 10.4.</summary>
    public static readonly IReadOnlyList<string> Events =
        ["session.started", "session.ended", "session.completed", "session.partial", "session.failed", "session.expired"];

    private readonly ConcurrentDictionary<string, WebhookRegistration> registrations = new(StringComparer.Ordinal);

    public static string NewId() => "wh_" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public void Add(WebhookRegistration registration) => registrations[registration.Id] = registration;

    public bool Remove(string id) => registrations.TryRemove(id, out _);

    public WebhookRegistration? Find(string id) => registrations.GetValueOrDefault(id);

    public bool IsActive(string id) => registrations.ContainsKey(id);

    public IReadOnlyList<WebhookRegistration> All => [.. registrations.Values.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];

    public IEnumerable<WebhookRegistration> SubscribedTo(string eventName) => All.Where(r => r.Events.Contains(eventName));

    /// <summary>The registrations of one client (tenant): the only ones it may list, and the only ones its sessions' events go to (ISO-10).</summary>
    public IEnumerable<WebhookRegistration> Of(string tenant) => All.Where(r => r.Tenant == tenant);
}
