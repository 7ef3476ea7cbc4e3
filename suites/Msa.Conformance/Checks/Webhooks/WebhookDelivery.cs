using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using Msa.Conformance.Webhooks;
using static Msa.Conformance.Checks.Level;
using static Msa.Conformance.Checks.Webhooks.WebhookFacts;

namespace Msa.Conformance.Checks.Webhooks;

/// <summary>
/// Which notifications arrive, and in what form (spec 10.2, 10.4, 10.5, 10.9): read at the registration with a secret,
/// except which events a narrower subscription gets (read at the one subscribed to session.completed alone).
/// </summary>
public static class WebhookDelivery
{
    public static readonly Check AfterProcessing = new(
        "webhooks.delivery.after-processing", "After a session's processing finishes, a notification about that session is delivered",
        new(PreflightRequirement), Scenario.Webhooks, o =>
        {
            var w = Observed(o);
            // The preflight: registered, but nothing ever reached the receiver. Reported here only, with what to do.
            if (w.ReceiverUnreached) throw new NotReached(Verdict.Inconclusive, w.NoDeliveries!);
            w = Delivered(o);
            var processed = w.Sessions.Where(s => s.Scenario != Scenario.Expired && s.Terminal is { Status: not 202 }).ToList();
            if (processed.Count == 0) throw new NotReached(Verdict.Inconclusive, "no driven session finished processing");
            var v = new Violations();
            foreach (var s in processed)
            {
                var changed = WebhookReport.StateChangedAfter(s, w.ReceiptGets(s.SessionId));
                var after = w.ToSigned.Where(d => d.SessionId == s.SessionId && !WebhookEvents.IsLifecycleStep(d.Event) && d.ArrivedAt >= changed).ToList();
                v.When(after.Count == 0, s.Terminal, () => $"Expected: a notification about session {s.SessionId} after its processing finished, that is after "
                    + $"the last GET still answering 202 ({changed:HH:mm:ss.fff}; then {s.Terminal!.Status} '{s.Terminal.BodyStatus}'), within {o.Options.Webhooks.DeliverySeconds} s\n"
                    + $"Received: {Received(w, s.SessionId)}, none of them (but session.started/ended) after that GET");
            }
            return v.Result();
        });

    public static readonly Check PayloadSchema = new(
        "webhooks.delivery.payload-schema", "Every notification is a JSON object {event, timestamp, session_id} with a spec 10.4 event and an RFC 3339 timestamp",
        new("WH-DEL-02"), Scenario.Webhooks, o =>
        {
            var v = new Violations();
            foreach (var d in ToEither(Delivered(o)))
            {
                var problems = d.Json is null ? [$"the body is not a JSON object: {Excerpt(d)}"] : SchemaValidator.Validate("webhook-event.json", d.BodyText);
                v.When(problems.Count > 0, Proof(d), () => $"Expected: a body valid against schemas/webhook-event.json\nReceived: {string.Join("; ", problems.Take(6))} in {Excerpt(d)}");
            }
            return v.Result();
        });

    public static readonly Check Started = Announces("started", "session.started is delivered after Create", "WH-DEL-03", WebhookEvents.Started,
        w => w.Sessions.Where(s => s.SessionId is not null).Select(s => (s, s.Create!)));

    public static readonly Check Ended = Announces("ended", "session.ended is delivered after End", "WH-DEL-04", WebhookEvents.Ended,
        w => w.Sessions.Where(s => s.End?.Status == 202).Select(s => (s, s.End!)));

    public static readonly Check Completed = Outcome("completed", "WH-DEL-05", Scenario.Completed, WebhookEvents.Completed);
    public static readonly Check Partial = Outcome("partial", "WH-DEL-06", Scenario.Partial, WebhookEvents.Partial);
    public static readonly Check Failed = Outcome("failed", "WH-DEL-07", Scenario.Failed, WebhookEvents.Failed);
    public static readonly Check Expired = Announces("expired", "session.expired is delivered when a session that was never ended expires", "WH-DEL-08",
        WebhookEvents.Expired, w => [(ExpiredSession(w), ExpiredSession(w).Create!)]);

    public static readonly Check OnlySubscribedEvents = new(
        "webhooks.delivery.only-subscribed-events", $"A registration subscribed to {WebhookEvents.Completed} alone receives no other event",
        new("WH-DEL-10"), Scenario.Webhooks, o =>
        {
            var w = Delivered(o);
            if (w.CompletedOnly?.WebhookId is null)
                throw new NotReached(Verdict.Inconclusive, $"the registration subscribed to {WebhookEvents.Completed} alone was not accepted ({w.CompletedOnly?.Answer.Summary() ?? "not attempted"})");
            var received = w.ToCompletedOnly;
            var v = new Violations();
            foreach (var d in received)
                v.When(d.Event != WebhookEvents.Completed, Proof(d), () => $"Expected: only {WebhookEvents.Completed} at the registration subscribed to it alone\n"
                    + $"Received: {d.Event ?? "(no event)"} for {d.SessionId ?? "(no session_id)"}");
            // Without the one event it did subscribe to, an empty inbox says nothing about filtering.
            if (v.Count == 0 && !received.Any(d => d.Event == WebhookEvents.Completed))
                throw new NotReached(Verdict.Inconclusive, $"nothing reached the registration subscribed to {WebhookEvents.Completed} alone, so whether it would get other events is unknown");
            return v.Result($"{received.Count} delivery(ies) to the registration subscribed to {WebhookEvents.Completed} alone, all of that event; "
                + $"the registrations for every event got {w.Deliveries.Count(w.IsOurs)}.");
        });

    public static readonly Check NoResultsOrPatientData = new(
        "webhooks.delivery.no-results-or-patient-data", "Notifications carry no transcript, template data, additional_data or patient details",
        new("WH-DEL-11", "CF-40", Should), Scenario.Webhooks, o =>
        {
            var v = new Violations();
            foreach (var d in ToEither(Delivered(o)))
            {
                var found = SensitiveKeys(d.Json, "").ToList();
                // Names the keys only: their values may be patient data.
                v.When(found.Count > 0, Proof(d), () => $"Expected: a notification without results or patient data (spec 10.5: event, timestamp, session_id)\n"
                    + $"Received: {string.Join(", ", found)} in {d.Event ?? "(no event)"} for {d.SessionId ?? "(no session_id)"}");
            }
            return v.Result();
        });

    public static readonly Check JsonContentType = new(
        "webhooks.delivery.json-content-type", "Notifications are sent with Content-Type application/json",
        new("WH-DEL-12"), Scenario.Webhooks, o =>
        {
            var v = new Violations();
            foreach (var d in ToEither(Delivered(o)))
                v.When(d.Header("Content-Type")?.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase) != true, Proof(d),
                    () => $"Expected: Content-Type application/json\nReceived: {d.Header("Content-Type") ?? "(no Content-Type)"}");
            return v.Result();
        });

    public static readonly Check Retried = new(
        "webhooks.delivery.retried", "A delivery the receiver answered with 500 is delivered again",
        new("WH-DEL-13"), Scenario.Webhooks, o =>
        {
            var w = Delivered(o);
            var refused = w.Refused ?? throw new NotReached(Verdict.Inconclusive, "nothing was delivered, so nothing could be refused");
            var again = w.RepeatOf(refused);
            return new Violations().When(again is null, Proof(refused),
                    () => $"Expected: {refused.Event} for {refused.SessionId} delivered again after the receiver answered 500 on purpose, "
                        + $"within {o.Options.Webhooks.DeliverySeconds} s\nReceived: no second attempt")
                .Result(again is null ? null : $"The receiver refused {refused.Event} for {refused.SessionId} with 500; it came again "
                    + $"{(again.ArrivedAt - refused.ArrivedAt).TotalMilliseconds:0} ms later.");
        });

    public static readonly Check HttpsOnly = new(
        "webhooks.delivery.https-only", "Nothing is delivered over plain http, even to a plain-http url the server registered",
        new("WH-DEL-15"), Scenario.Webhooks, o =>
        {
            var w = Managed(o);
            var r = PlainHttp(w);
            if (w.Deliveries.FirstOrDefault(d => d.Scheme == "http") is { } plain)
                return CheckResult.Fail($"Expected: deliveries to https endpoints only\nReceived: {plain.Event ?? "a delivery"} for {plain.SessionId ?? "(no session_id)"} "
                    + $"POSTed over plain http to {r.Url}{(w.Deliveries.Count(d => d.Scheme == "http") is var n and > 1 ? $" ({n} such deliveries)" : "")}",
                    Proof(plain), r.Answer);
            if (!r.Answer.GotResponse) return CheckResult.Inconclusive($"the plain-http registration got no answer: {r.Answer.TransportError}");
            if (!r.Answer.Accepted) return CheckResult.Pass($"{r.Answer.Summary()}: the plain-http url was refused (its form is WH-REG-03's), so nothing can be delivered there.");
            // Accepted (WH-REG-03's finding): the absence of deliveries over http means something only if https ones came.
            var overHttps = Delivered(o).Deliveries.Count(d => d.Scheme == "https");
            if (overHttps == 0) throw new NotReached(Verdict.Inconclusive, "the plain-http url was registered, but nothing reached the https registrations either, so no delivery over http proves nothing (see WH-DEL-01)");
            return CheckResult.Pass($"the plain-http url was registered ({r.Answer.Summary()}, see WH-REG-03), but none of the {overHttps} deliveries went to it: all came over https.");
        });

    public static IReadOnlyList<Check> All =>
        [AfterProcessing, PayloadSchema, Started, Ended, Completed, Partial, Failed, Expired, OnlySubscribedEvents, NoResultsOrPatientData, JsonContentType, Retried, HttpsOnly];

    /// <summary>A check that each session in `due` (with the exchange that proves the moment) got `eventName` at the signed registration.</summary>
    private static Check Announces(string slug, string title, string requirement, string eventName,
        Func<WebhookObservations, IEnumerable<(ScenarioRun Session, Exchange Moment)>> due) => new(
        $"webhooks.delivery.{slug}", title, new(requirement), Scenario.Webhooks, o =>
        {
            var w = Delivered(o);
            var sessions = due(w).ToList();
            if (sessions.Count == 0) throw new NotReached(Verdict.Inconclusive, $"no driven session reached the moment {eventName} announces");
            var v = new Violations();
            foreach (var (s, moment) in sessions)
                v.When(w.First(eventName, s.SessionId) is null, moment,
                    () => $"Expected: {eventName} with session_id \"{s.SessionId}\" ({s.Scenario} session) within {o.Options.Webhooks.DeliverySeconds} s\nReceived: {Received(w, s.SessionId)}");
            return v.Result();
        });

    private static Check Outcome(string slug, string requirement, Scenario lifecycle, string eventName) =>
        Announces(slug, $"{eventName} is delivered when a session reaches {slug}", requirement, eventName,
            w => [(SessionWithOutcome(w, lifecycle, eventName), w.Session(lifecycle)!.Terminal!)]);

    /// <summary>Keys that hold results or client data (CF-40: session-flow's data.transcript/templates/additional_data); any key naming a patient too.</summary>
    private static readonly string[] ResultKeys = ["transcript", "templates", "additional_data"];

    /// <summary>Paths (data.transcript, items[0].patient_name) of every results or patient key, at any depth.</summary>
    private static IEnumerable<string> SensitiveKeys(JsonNode? node, string path)
    {
        if (node is JsonArray array)
            for (var i = 0; i < array.Count; i++)
                foreach (var found in SensitiveKeys(array[i], $"{path.TrimEnd('.')}[{i}]."))
                    yield return found;
        if (node is not JsonObject obj) yield break;
        foreach (var (key, value) in obj)
        {
            if (ResultKeys.Contains(key, StringComparer.OrdinalIgnoreCase) || key.Contains("patient", StringComparison.OrdinalIgnoreCase)) yield return path + key;
            else foreach (var found in SensitiveKeys(value, $"{path}{key}.")) yield return found;
        }
    }

    private static string Excerpt(ReceivedWebhook d) => d.BodyText.Length <= 200 ? d.BodyText : d.BodyText[..200] + "…";
}
