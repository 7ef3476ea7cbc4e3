using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Webhooks;

/// <summary>The session events of spec 10.4 and the polled answer each outcome event stands for.</summary>
public static class WebhookEvents
{
    public const string Started = "session.started";
    public const string Ended = "session.ended";
    public const string Completed = "session.completed";
    public const string Partial = "session.partial";
    public const string Failed = "session.failed";
    public const string Expired = "session.expired";

    public static readonly string[] All = [Started, Ended, Completed, Partial, Failed, Expired];

    /// <summary>What Get Session answers once each outcome is announced: completed ⇒ 200 completed, partial ⇒ 206, failed ⇒ 200 failed, expired ⇒ 410.</summary>
    public static readonly IReadOnlyDictionary<string, (int Code, string Status)> Outcomes = new Dictionary<string, (int, string)>
    {
        [Completed] = (200, "completed"),
        [Partial] = (206, "partial"),
        [Failed] = (200, "failed"),
        [Expired] = (410, "expired"),
    };

    /// <summary>The outcome event a polled terminal answer calls for; null for anything else.</summary>
    public static string? ForAnswer(Exchange? answer) =>
        answer is null ? null : Outcomes.FirstOrDefault(o => o.Value.Code == answer.Status && o.Value.Status == answer.BodyStatus).Key;

    /// <summary>Every event but session.started and session.ended says something about the outcome.</summary>
    public static bool IsLifecycleStep(string? name) => name is Started or Ended;
}

/// <summary>One registration attempt: what was sent and what came back.</summary>
public sealed record WebhookRegistration(string Label, string Url, JsonObject Request, Exchange Answer)
{
    /// <summary>The id to delete it by, when the server accepted it.</summary>
    public string? WebhookId => Answer.Status is >= 200 and < 300 && Answer.JsonObject?["webhook_id"] is JsonValue v
        && v.TryGetValue<string>(out var id) && id.Length > 0 ? id : null;
}

/// <summary>What the webhook scenario observed: registrations, probes, deliveries, and the sessions it drove.</summary>
public sealed class WebhookObservations
{
    private readonly Lock _lock = new();
    private readonly List<ReceivedWebhook> _deliveries = [];

    /// <param name="expiryBudgetSeconds">How far away an expires_at may lie and still be waited for (the polling deadline).</param>
    public WebhookObservations(int expiryBudgetSeconds)
    {
        ExpiryBudget = TimeSpan.FromSeconds(expiryBudgetSeconds);
        Redactor.RegisterSecret(Secret);
    }

    /// <summary>Read back from an observations file: the secret is a placeholder, deliveries and the refused one as recorded.</summary>
    internal WebhookObservations(int expiryBudgetSeconds, string secretPlaceholder, string runToken, IEnumerable<ReceivedWebhook> deliveries, int? refused)
    {
        ExpiryBudget = TimeSpan.FromSeconds(expiryBudgetSeconds);
        (Secret, RunToken, SecretKnown) = (secretPlaceholder, runToken, false);
        _deliveries.AddRange(deliveries);
        Refused = refused is { } i ? _deliveries[i] : null;
    }

    internal TimeSpan ExpiryBudget { get; }

    /// <summary>The secret of the signed registration (redacted from every report).</summary>
    public string Secret { get; } = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    /// <summary>False when re-judging: the secret was never stored, only the MACs the observing run computed with it.</summary>
    public bool SecretKnown { get; } = true;
    /// <summary>Makes this run's receiver paths unique, so leftovers of an earlier run cannot be mistaken for this one's.</summary>
    internal string RunToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>One v1 of the signature is the HMAC of this delivery with the registered secret (or, re-judging, the MAC recorded for its t).</summary>
    public bool Verifies(ReceivedWebhook delivery, WebhookSignature signature) => signature.T is { } t
        && (SecretKnown ? WebhookSignature.Mac(Secret, t, delivery.Body) : delivery.RecordedMacs?.GetValueOrDefault(t)) is { } mac
        && signature.Matches(mac);
    public string SignedKey => $"signed-{RunToken}";
    public string UnsignedKey => $"unsigned-{RunToken}";
    public string CompletedOnlyKey => $"completed-only-{RunToken}";
    public string ProbeKey => $"probe-{RunToken}";
    public string PlainKey => $"plain-http-{RunToken}";

    /// <summary>Discovery's endpoints.webhooks_url when it offers webhook delivery; otherwise null and why.</summary>
    public static string? Advertised(JsonObject discovery, out string reason)
    {
        var offered = (discovery["capabilities"] as JsonObject)?["webhook_delivery"];
        var url = (discovery["endpoints"] as JsonObject)?["webhooks_url"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        reason = "";
        if (offered?.GetValueKind() != JsonValueKind.True)
            reason = $"discovery says capabilities.webhook_delivery is {Checks.Rules.Show(offered)}, so the server offers no webhooks.";
        else if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
            reason = $"discovery says webhook_delivery is true but gives no usable endpoints.webhooks_url ({Checks.Rules.Show((discovery["endpoints"] as JsonObject)?["webhooks_url"])}).";
        return reason.Length == 0 ? url : null;
    }

    /// <summary>Discovery's endpoints.webhooks_url.</summary>
    public string WebhooksUrl { get; set; } = "";
    public string WebhookUrl(string id) => $"{WebhooksUrl.TrimEnd('/')}/{Uri.EscapeDataString(id)}";

    /// <summary>Registered with a secret: the registration every delivery check reads.</summary>
    public WebhookRegistration? Signed { get; set; }
    /// <summary>Registered without a secret: its deliveries must be unsigned.</summary>
    public WebhookRegistration? Unsigned { get; set; }
    /// <summary>Subscribed to session.completed alone (no secret): no other event may reach it (WH-DEL-10).</summary>
    public WebhookRegistration? CompletedOnly { get; set; }
    /// <summary>With --webhook-https: every event registered at the receiver's plain-http listener, to which nothing may be delivered (WH-DEL-15).</summary>
    public WebhookRegistration? PlainHttp { get; set; }
    /// <summary>Every registration the server accepted (the unauthenticated probe too, if it was wrongly accepted): all are deleted at the end.</summary>
    public List<WebhookRegistration> Accepted { get; } = [];

    /// <summary>Requests without a credential, and the DELETE of an unknown id.</summary>
    public Dictionary<string, Exchange> Probes { get; } = [];
    public Exchange? ListAfterRegistering { get; set; }

    /// <summary>ISO-10, with another client's key (MSA_OtherTenantToken): its listing of webhooks_url while ours are registered.</summary>
    public Exchange? ListAsOtherTenant { get; set; }
    /// <summary>ISO-10: the session that other client created (and ended) while this client's receiver listened; none of its events may reach us.</summary>
    public Exchange? OtherTenantCreate { get; set; }
    /// <summary>That session's id was also handed out to a Create of this client (CRE-09's finding): its events cannot be told apart.</summary>
    public bool OtherTenantIdRepeated { get; set; }
    public string? OtherTenantSessionId => OtherTenantCreate is { Accepted: true } x ? Checks.Rules.Text(x, "session_id") : null;
    public Dictionary<string, Exchange> Deletes { get; } = [];
    public Exchange? ListAfterDeleting { get; set; }

    /// <summary>The sessions driven while the receiver listened: to completed, partial, failed and expired.</summary>
    public IReadOnlyList<ScenarioRun> Sessions { get; set; } = []; // replaced whole: the receiver reads it from other threads
    public ScenarioRun? Session(Scenario lifecycle) => Sessions.FirstOrDefault(s => s.Scenario == lifecycle);
    public ScenarioRun? SessionNamed(string? id) => id is null ? null : Sessions.FirstOrDefault(s => s.SessionId == id);

    /// <summary>The delivery the receiver refused with 500 on purpose (the first one for the signed registration).</summary>
    public ReceivedWebhook? Refused { get; private set; }

    /// <summary>Why deliveries could not be observed at all (registration refused, receiver unreachable); null when they could.</summary>
    public string? NoDeliveries { get; set; }
    /// <summary>The server accepted the registrations but nothing reached the receiver: the preflight's single inconclusive result.</summary>
    public bool ReceiverUnreached { get; set; }

    public IReadOnlyList<ReceivedWebhook> Deliveries { get { lock (_lock) return _deliveries.ToList(); } }

    /// <summary>Deliveries for this run's signed registration, in arrival order.</summary>
    /// <summary>The GETs the harness made on receipt of deliveries about this session (any registration, any retry).</summary>
    public IEnumerable<Http.Exchange> ReceiptGets(string? sessionId) =>
        Deliveries.Where(d => d.SessionId == sessionId && d.ReceiptGet is not null).Select(d => d.ReceiptGet!);

    public IReadOnlyList<ReceivedWebhook> ToSigned => Deliveries.Where(d => d.Key == SignedKey).ToList();
    public IReadOnlyList<ReceivedWebhook> ToUnsigned => Deliveries.Where(d => d.Key == UnsignedKey).ToList();
    public IReadOnlyList<ReceivedWebhook> ToCompletedOnly => Deliveries.Where(d => d.Key == CompletedOnlyKey).ToList();
    /// <summary>Delivered to a registration for every event, with or without a secret (not the completed-only one, which gets a subset).</summary>
    public bool IsOurs(ReceivedWebhook d) => d.Key == SignedKey || d.Key == UnsignedKey;

    /// <summary>Which registration a delivery was for, as reports name it.</summary>
    public string RegistrationOf(ReceivedWebhook d) =>
        d.Key == SignedKey ? "signed" : d.Key == UnsignedKey ? "unsigned" : d.Key == CompletedOnlyKey ? "completed-only" : d.Key == PlainKey ? "plain-http" : "unexpected";

    /// <summary>Keeps a delivery and decides the answer: 500 for the first one to the signed registration, 200 otherwise.</summary>
    public int Receive(ReceivedWebhook delivery)
    {
        lock (_lock)
        {
            _deliveries.Add(delivery);
            if (Refused is null && delivery.Key == SignedKey)
            {
                Refused = delivery;
                return delivery.Answer = 500;
            }
            return delivery.Answer = 200;
        }
    }

    /// <summary>The first delivery of this event about this session to the signed registration.</summary>
    public ReceivedWebhook? First(string eventName, string? sessionId) =>
        ToSigned.FirstOrDefault(d => d.Event == eventName && d.SessionId == sessionId && sessionId is not null);

    /// <summary>A later delivery of the same event about the same session to the same registration.</summary>
    public ReceivedWebhook? RepeatOf(ReceivedWebhook delivery) =>
        Deliveries.FirstOrDefault(d => d != delivery && d.Key == delivery.Key && d.ArrivedAt >= delivery.ArrivedAt
            && d.Event == delivery.Event && d.SessionId == delivery.SessionId);

    /// <summary>expires_at of the never-ended session, when it lies within the wait budget (so its session.expired is awaited).</summary>
    public DateTimeOffset? ExpiryAwaited => Session(Scenario.Expired) is { Stopped: null, Create: { } create } s
        && DateTimeOffset.TryParse(s.ExpiresAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
        && at - create.StartedAt <= ExpiryBudget ? at : null;

    /// <summary>The events each driven session should announce, given what polling saw (and, for expiry, its expires_at).</summary>
    public IEnumerable<string> Expected(ScenarioRun session)
    {
        if (session.SessionId is null) yield break;
        yield return WebhookEvents.Started;
        if (session.End?.Status == 202) yield return WebhookEvents.Ended;
        if (session.Scenario == Scenario.Expired) { if (ExpiryAwaited is not null) yield return WebhookEvents.Expired; }
        else if (WebhookEvents.ForAnswer(session.Terminal) is { } outcome) yield return outcome;
    }

    /// <summary>Every expected event arrived, at the completed-only registration too, and the refused delivery came again.</summary>
    public bool AllExpectedArrived() =>
        Sessions.All(s => Expected(s).All(e => First(e, s.SessionId) is not null)) && (Refused is null || RepeatOf(Refused) is not null) && CompletedOnlyCaughtUp;

    /// <summary>The session.completed the signed registration got also reached the completed-only one (or there is none to wait for).</summary>
    private bool CompletedOnlyCaughtUp => CompletedOnly?.WebhookId is null
        || First(WebhookEvents.Completed, Session(Scenario.Completed)?.SessionId) is not { } completed
        || ToCompletedOnly.Any(d => d.Event == WebhookEvents.Completed && d.SessionId == completed.SessionId);
}
