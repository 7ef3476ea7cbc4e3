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

    public Session? Find(string id) => sessions.GetValueOrDefault(id);
}
