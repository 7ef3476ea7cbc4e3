using System.Globalization;
using System.Text;
using Msa.Conformance.Scenarios;
using Msa.Conformance.Http;

namespace Msa.Conformance.Webhooks;

/// <summary>What the report shows of the webhook scenario: every delivery with its verified signature, and each outcome event set against polling.</summary>
public static class WebhookReport
{
    public static void Attach(ScenarioRun run, WebhookObservations w, WebhookReceiver receiver, string profile)
    {
        run.Attachments.Add(new("Webhook deliveries", "text/plain", Deliveries(run, w, receiver, profile)));
        run.Attachments.Add(new("Webhook deliveries (CSV)", "text/csv", Csv(run, w, profile)));
    }

    /// <summary>When the session's state changed at the latest: the start of its last 202 poll (or, for expiry, expires_at).</summary>
    public static DateTimeOffset? StateChangedAfter(ScenarioRun session, IEnumerable<Exchange>? otherGets = null)
    {
        if (session.Scenario == Scenario.Expired)
            return DateTimeOffset.TryParse(session.ExpiresAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires) ? expires : null;
        // The last 202 before the first terminal answer (any GET's, those on receipt of an event included): a 202 after
        // it is the session going back (GET-PAIR-14's finding), not still processing.
        var firstTerminal = session.Exchanges.Concat(otherGets ?? []).Where(x => x.Method == "GET" && Checks.Rules.IsTerminalCode(x.Status))
            .Select(x => (DateTimeOffset?)x.StartedAt).Min();
        return session.Polls.Where(p => p.Status == 202 && (firstTerminal is null || p.StartedAt < firstTerminal)).Select(p => (DateTimeOffset?)p.StartedAt).Max()
            ?? session.End?.StartedAt;
    }

    /// <summary>"≤ 120 ms after the state changed; polling saw it 40 ms later", for one outcome delivery.</summary>
    public static string Delay(ScenarioRun session, ReceivedWebhook delivery)
    {
        var text = new StringBuilder();
        if (StateChangedAfter(session) is { } changed)
            text.Append(CultureInfo.InvariantCulture, $"delivered ≤ {(delivery.ArrivedAt - changed).TotalMilliseconds:0} ms after the state changed");
        if (session.Terminal is { } seen && session.Scenario != Scenario.Expired)
        {
            var gap = (seen.StartedAt - delivery.ArrivedAt).TotalMilliseconds;
            text.Append(CultureInfo.InvariantCulture, $"; polling first saw the outcome {Math.Abs(gap):0} ms {(gap >= 0 ? "later" : "earlier")}");
        }
        return text.ToString();
    }

    private static string Deliveries(ScenarioRun run, WebhookObservations w, WebhookReceiver receiver, string profile)
    {
        var text = new StringBuilder();
        text.AppendLine($"Receiver: {receiver.PublicBase}{WebhookReceiver.PathPrefix}… (listening on {receiver.ListenUrl}"
            + (receiver.PlainBase is { } plain ? $"; plain-http listener {plain}, for WH-DEL-15)" : ")"));
        foreach (var r in new[] { w.Signed, w.Unsigned, w.CompletedOnly }.OfType<WebhookRegistration>())
            text.AppendLine($"Registration {r.Label}: {r.Answer.Summary()} webhook_id {r.WebhookId ?? "(none)"}{(r.Request.ContainsKey("secret") ? $", secret {Http.Redactor.Mask}" : ", no secret")}");
        if (w.NoDeliveries is { } none) text.AppendLine($"No deliveries observed: {none}");
        text.AppendLine($"\nDeliveries (seconds since the scenario started; signature tolerance {WebhookSignature.ToleranceSeconds(profile)} s, profile {profile}):");
        foreach (var d in w.Deliveries)
            text.AppendLine($"  +{Seconds(run, d.ArrivedAt)} s  {w.RegistrationOf(d),-14} {d.Event ?? "(no event)",-18} {d.SessionId ?? "(no session_id)"} {Lifecycle(w, d)}"
                + $"  answered {d.Answer}  {WebhookSignature.Describe(d, w, profile)}");
        text.AppendLine("\nOutcome events against polling (signed registration):");
        foreach (var s in w.Sessions)
        {
            var outcome = s.Scenario == Scenario.Expired ? (w.ExpiryAwaited is null ? null : WebhookEvents.Expired) : WebhookEvents.ForAnswer(s.Terminal);
            var delivered = outcome is null ? null : w.First(outcome, s.SessionId);
            text.AppendLine($"  {s.Scenario} {s.SessionId ?? "(not created)"}: {(s.Scenario == Scenario.Expired ? $"expires_at {s.ExpiresAt}" : s.Terminal is { } t ? $"polled {t.Status} {t.BodyStatus}" : s.Stopped?.Reason ?? "no outcome")}; "
                + (delivered is null ? $"{outcome ?? "no outcome event expected"} {(outcome is null ? "" : "not received")}"
                    : $"{outcome} received, {Delay(s, delivered)}; GET on receipt: {delivered.ReceiptGet?.Summary() ?? "none"}"));
        }
        return text.ToString();
    }

    private static string Csv(ScenarioRun run, WebhookObservations w, string profile)
    {
        var csv = new StringBuilder("seconds_since_start,registration,event,session_id,lifecycle,answer,signature,get_on_receipt\n");
        foreach (var d in w.Deliveries)
            csv.AppendLine(string.Join(',', Seconds(run, d.ArrivedAt), w.RegistrationOf(d), d.Event, d.SessionId, Lifecycle(w, d), d.Answer,
                WebhookSignature.Describe(d, w, profile).Replace(',', ';'), d.ReceiptGet?.Summary().Replace(',', ';')));
        return csv.ToString();
    }

    private static string Seconds(ScenarioRun run, DateTimeOffset at) => (at - run.StartedAt).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Lifecycle(WebhookObservations w, ReceivedWebhook d) =>
        w.SessionNamed(d.SessionId) is { } s ? $"({s.Scenario} session)" : "(not a session of this scenario)";
}
