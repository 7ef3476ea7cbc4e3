using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Webhooks;

/// <summary>One event notification: the payload of spec 10.5, <c>{event, timestamp, session_id}</c>.</summary>
internal sealed record WebhookEvent(string Name, string SessionId, DateTimeOffset At, string Tenant = Http.Credentials.Primary)
{
    public JsonObject ToJson() => new()
    {
        ["event"] = Name,
        ["timestamp"] = SessionBodies.Timestamp(At),
        ["session_id"] = SessionId,
    };

    /// <summary>The event announcing a finished session's outcome.</summary>
    public static string Terminal(SessionPhase phase) => phase switch
    {
        SessionPhase.Completed => "session.completed",
        SessionPhase.Partial => "session.partial",
        SessionPhase.Failed => "session.failed",
        SessionPhase.Expired => "session.expired",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "not a terminal phase"),
    };

    public bool IsTerminal => Name is not ("session.started" or "session.ended");
}

/// <summary>
/// The signature of spec 10.7 and Eka's webhook-signature page: <c>t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{raw body}")}</c>,
/// in the header the server's profile names (CF-51).
/// </summary>
internal static class WebhookSignature
{
    /// <summary>The signature header of each profile: X-MSA-Signature in spec 10.7, Eka-Webhook-Signature on Eka's page.</summary>
    public static readonly IReadOnlyDictionary<ServerProfile, string> HeaderNames = new Dictionary<ServerProfile, string>
    {
        [ServerProfile.MsaDraft] = "X-MSA-Signature",
        [ServerProfile.Ekascribe] = "Eka-Webhook-Signature",
    };

    public static string Header(string secret, long t, byte[] body) =>
        Format(t, Hmac(secret, [.. Encoding.UTF8.GetBytes($"{t}."), .. body]));

    public static byte[] Hmac(string secret, byte[] data) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data);

    public static string Format(long t, byte[] mac) => $"t={t},v1={Convert.ToHexStringLower(mac)}";
}
