using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The conforming Get Session answer together with what it was built from, so the fault filter can change it.
/// Executed as is when no fault applies.
/// </summary>
internal sealed class SessionReply(string sessionId, JsonReply reply, SessionSnapshot? snapshot, SessionPhase phase, string? templateFilter) : IResult
{
    public string SessionId { get; } = sessionId;
    public JsonReply Reply { get; } = reply;
    /// <summary>Null for an unknown session id.</summary>
    public SessionSnapshot? Snapshot { get; } = snapshot;
    public SessionPhase Phase { get; } = phase;
    /// <summary>The <c>?template_id=</c> value; null when absent or empty.</summary>
    public string? TemplateFilter { get; } = templateFilter;

    public Task ExecuteAsync(HttpContext httpContext) => Reply.ExecuteAsync(httpContext);
}
