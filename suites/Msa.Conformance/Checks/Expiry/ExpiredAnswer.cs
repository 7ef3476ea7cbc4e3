using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Expiry;

/// <summary>Expiry: the 410 answer is the expired session's body, not an error (seed ExpiredSessionResponse; CF-02).</summary>
public static class ExpiredAnswer
{
    public static readonly Check SessionBodyNotEnvelope = new(
        "expiry.answer.session-body", "GET of an expired session returns 410 with the expired session's body, not an error envelope",
        new("EXP-04", Must, "seed (ExpiredSessionResponse); CF-02"), Scenario.Expired, o =>
        {
            var x = o.Run.RequireTerminal();
            if (x.Status != 410) throw o.Run.Unreached($"the session was not reported 410 ({x.Summary()}); expiry.* and get-session.pairing.expired judge that");
            return new Violations().When(x.JsonObject is not { } body || body.ContainsKey("error") || x.BodyStatus != "expired", x,
                () => $"Expected: the expired session body (session_id, status \"expired\", expired_at, …), not an error envelope\nReceived: {x.Excerpt(200)}").Result();
        }) { Profile = ProtocolProfile.Ekascribe };

    public static IReadOnlyList<Check> All => [SessionBodyNotEnvelope];
}
