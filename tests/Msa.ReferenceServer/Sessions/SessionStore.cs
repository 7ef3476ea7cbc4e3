using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Msa.ReferenceServer.Sessions;

/// <summary>The sessions of one server instance, and its clock (millisecond precision, so written times are exact).</summary>
internal sealed class SessionStore(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);

    public DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }

    public static string NewSessionId() => "ses_" + RandomNumberGenerator.GetHexString(20, lowercase: true);

    public bool TryAdd(Session session) => sessions.TryAdd(session.Id, session);

    /// <summary>Every session this instance holds (a fault mixes their results up).</summary>
    public IEnumerable<Session> All => sessions.Values;

    /// <summary>A session created one lifetime and a minute ago and never ended: expired since a minute, holding no audio.</summary>
    public void AddExpired(string id, string baseUrl, TimeSpan lifetime)
    {
        var expiresAt = Now() - TimeSpan.FromMinutes(1);
        sessions[id] = new Session
        {
            Id = id,
            UploadUrl = Session.UploadUrlFor(baseUrl, id),
            CreatedAt = expiresAt - lifetime,
            ExpiresAt = expiresAt,
            UploadType = "chunked",
            CommunicationProtocol = "http",
            Model = "lite",
            RequestedTemplates = [],
        };
    }

    public Session? Find(string id) => sessions.GetValueOrDefault(id);
}
