using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Expiry;

/// <summary>Expiry: the 410 answer is the expired session's body, not an error (seed ExpiredSessionResponse; CF-02).</summary>
public static class ExpiredAnswer
{
    public static readonly Check SessionBodyNotEnvelope = new(
        "expiry.answer.session-body", "GET of an expired session returns 410 with the expired session's body, not an error envelope",
        new("EXP-04"), Scenario.Expired, o =>
        {
            var x = o.Run.RequireTerminal();
            if (x.Status != 410) throw o.Run.Unreached($"the session was not reported 410 ({x.Summary()}); expiry.* and get-session.pairing.expired judge that");
            return new Violations().When(x.JsonObject is not { } body || body.ContainsKey("error") || x.BodyStatus != "expired", x,
                () => $"Expected: the expired session body (session_id, status \"expired\", expired_at, …), not an error envelope\nReceived: {x.Excerpt(200)}").Result();
        });

    public static readonly Check SessionBodyOrEnvelope = new(
        "expiry.answer.session-body-or-envelope", "GET of an expired session returns 410 with the expired session body or the session_expired error envelope",
        new("EXP-05"), Scenario.Expired, o =>
        {
            var x = o.Run.RequireTerminal();
            if (x.Status != 410) throw o.Run.Unreached($"the session was not reported 410 ({x.Summary()}); expiry.* and get-session.pairing.expired judge that");
            var envelope = x.JsonObject?["error"] is not null;
            return new Violations().When(envelope ? x.ErrorCode() != "session_expired" : x.BodyStatus != "expired", x,
                () => $"Expected: the expired session body (status \"expired\") or {{\"error\": {{\"code\": \"session_expired\", …}}}}\nReceived: {x.Excerpt(200)}").Result();
        });

    public static readonly Check EndedNeverExpired = new(
        "expiry.answer.ended-never-410", "A session ended before its expires_at is never reported 410, even when read after expires_at",
        new("EXP-10"), Scenario.All, o =>
        {
            var ended = o.All.Where(r => r.End is { Status: 202 } end && ServerClock.Parse(r.ExpiresAt) is { } expiresAt
                && ServerClock.LatestServerTime(r, end) is { } endedBy && endedBy < expiresAt).ToList();
            if (ended.Count == 0) throw o.All.First(r => r.Scenario == Scenario.Completed).Unreached("no session was seen ended before its expires_at");
            var v = new Violations();
            var late = 0;
            foreach (var r in ended)
                foreach (var x in r.SessionGets.Where(x => x.GotResponse && x.StartedAt > r.End!.StartedAt))
                {
                    if (x.StartedAt > ServerClock.LatestLocalTime(r, ServerClock.Parse(r.ExpiresAt)!.Value)) late++;
                    v.When(x.Status == 410 || x.BodyStatus == "expired", x,
                        () => $"Expected: no 410/expired for a session whose End was accepted ({r.End!.Summary()}) before expires_at {r.ExpiresAt}\nReceived: {x.Status} \"{x.BodyStatus}\"");
                }
            return v.Result($"{ended.Count} session(s) ended before expires_at; none read afterwards was 410 ({late} read(s) after expires_at).");
        });

    public static IReadOnlyList<Check> All => [SessionBodyNotEnvelope, SessionBodyOrEnvelope, EndedNeverExpired];
}
