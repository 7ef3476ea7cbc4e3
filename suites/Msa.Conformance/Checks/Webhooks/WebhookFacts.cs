using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using Msa.Conformance.Webhooks;

namespace Msa.Conformance.Checks.Webhooks;

/// <summary>
/// What the webhook checks read, and the non-verdicts they give when it is missing. Position (CF-50, CF-53): the
/// harness registers with the spec 10.2 body at discovery's webhooks_url in either profile; once the server accepts
/// that registration it has opted into spec 10, so the spec 10 rules apply. Where discovery offers no webhooks, every
/// webhook check is not applicable.
/// </summary>
internal static class WebhookFacts
{
    public const string PreflightRequirement = "WH-DEL-01";

    /// <summary>The webhook scenario's observations, or the reason it has none (webhooks not offered: not applicable).</summary>
    public static WebhookObservations Observed(Observations o) =>
        o.Run.Stopped is null && o.Run.Webhooks is { } w ? w : throw o.Run.Unreached("the webhook scenario observed nothing");

    /// <summary>
    /// The observations for a check of how the webhook endpoints behave: only once they are shown to exist. A
    /// registration with the credential answered 404/405 means there is no such route, WH-REG-01's finding alone.
    /// </summary>
    public static WebhookObservations Managed(Observations o)
    {
        var w = Observed(o);
        if (w.Signed?.Answer is { GotResponse: true, Status: 404 or 405 } missing)
            throw new NotReached(Verdict.Inconclusive, $"not reached: {missing.Summary()} to a registration with the credential, so there is no webhook route to probe (see WH-REG-01)");
        return w;
    }

    /// <summary>
    /// The observations when deliveries could be observed. When they could not (registration refused, receiver not
    /// reached) the delivery checks are not applicable: the preflight's one inconclusive result (WH-DEL-01) or the
    /// registration check already says why, and a cascade of the same message would hide it.
    /// </summary>
    public static WebhookObservations Delivered(Observations o)
    {
        var w = Observed(o);
        if (w.NoDeliveries is { } why)
            throw new NotReached(Verdict.NotApplicable, w.ReceiverUnreached
                ? $"not evaluated: nothing reached the webhook receiver (the {PreflightRequirement} check says what to do)."
                : $"not evaluated: {why}");
        return w;
    }

    /// <summary>
    /// The registration at the receiver's plain-http listener (WH-REG-03, WH-DEL-15); not applicable without
    /// --webhook-https, as a plain-http receiver makes every registration http and cannot tell a delivery over http
    /// from the set-up.
    /// </summary>
    public static WebhookRegistration PlainHttp(WebhookObservations w) => w.PlainHttp ?? throw new NotReached(Verdict.NotApplicable,
        "the webhook receiver listens on plain http (the default, or behind the --webhook-public-url tunnel), so every registration is http and a delivery "
        + "over http cannot be told from the set-up; run with --webhook-https and --webhook-cert FILE (a certificate the server trusts): the harness then "
        + "registers https URLs and one plain-http URL");

    /// <summary>The deliveries to either of this run's registrations, or inconclusive when there are none.</summary>
    public static IReadOnlyList<ReceivedWebhook> ToEither(WebhookObservations w) =>
        w.Deliveries.Where(w.IsOurs).ToList() is { Count: > 0 } list ? list : throw new NotReached(Verdict.Inconclusive, "nothing was delivered");

    /// <summary>The deliveries to the signed registration, or inconclusive when there are none.</summary>
    public static IReadOnlyList<ReceivedWebhook> ToSigned(WebhookObservations w) =>
        w.ToSigned is { Count: > 0 } list ? list : throw new NotReached(Verdict.Inconclusive, "nothing was delivered to the registration with a secret");

    /// <summary>The driven session of that lifecycle if it reached the outcome `expectedEvent` announces.</summary>
    public static ScenarioRun SessionWithOutcome(WebhookObservations w, Scenario lifecycle, string expectedEvent)
    {
        var session = w.Session(lifecycle) ?? throw new NotReached(Verdict.Inconclusive, $"no {lifecycle} session was driven");
        var terminal = session.RequireTerminal();
        if (WebhookEvents.ForAnswer(terminal) != expectedEvent)
            throw new NotReached(Verdict.Inconclusive, $"the {lifecycle} session ended {terminal.Status} '{terminal.BodyStatus}', "
                + $"not the state {expectedEvent} announces (the Get Session checks judge that)");
        return session;
    }

    /// <summary>The never-ended session, when its expires_at came within the wait (else the driver's reason, e.g. beyond --poll-deadline).</summary>
    public static ScenarioRun ExpiredSession(WebhookObservations w)
    {
        var session = w.Session(Scenario.Expired) ?? throw new NotReached(Verdict.Inconclusive, "no session was left to expire");
        return w.ExpiryAwaited is not null ? session : throw session.Unreached("its expires_at was not reached while the scenario ran");
    }

    /// <summary>
    /// What the signed registration did receive, for failure messages: the events about `sessionId` in arrival order
    /// ("session.started, session.ended"), or when there are none, the first deliveries with their session ids.
    /// </summary>
    public static string Received(WebhookObservations w, string? sessionId)
    {
        var signed = w.ToSigned;
        if (signed.Count == 0) return "nothing was delivered to the registration with a secret";
        var about = signed.Where(d => d.SessionId == sessionId).Select(d => d.Event ?? "(no event)").ToList();
        if (about.Count > 0) return $"about {sessionId}: {string.Join(", ", about)} ({signed.Count} deliveries in all)";
        var listed = signed.Take(8).Select(d => $"{d.Event ?? "(no event)"} {d.SessionId ?? "(no session_id)"}");
        return $"nothing about {sessionId}; {signed.Count} deliveries: {string.Join(", ", listed)}{(signed.Count > 8 ? ", …" : "")}";
    }

    /// <summary>The delivery's recorded exchange (every delivery has one).</summary>
    public static Exchange Proof(ReceivedWebhook d) => d.Exchange!;
}
