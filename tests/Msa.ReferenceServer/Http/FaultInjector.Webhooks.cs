using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Webhooks;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The webhook part of the one place where faults take effect: the answers of the webhook endpoints, and each
/// delivery (which event, when, whether it is retried, its headers). With no fault on, everything passes unchanged.
/// </summary>
internal sealed partial class FaultInjector
{
    /// <summary>A webhook endpoint's answer with the switched-on faults applied.</summary>
    public IResult WebhookAnswer(string? endpointName, object? answer, WebhookRegistry registry)
    {
        switch (endpointName, answer)
        {
            case (WebhookEndpoints.RegisterName, JsonReply { StatusCode: 201 } created) when On(Fault.RegistrationAnswers200):
                created.StatusCode = 200;
                break;
            case (WebhookEndpoints.ListName, JsonReply { Body: JsonObject list }) when On(Fault.WebhookListOmitsRegistrations):
                list["webhooks"] = new JsonArray();
                break;
            case (WebhookEndpoints.ListName, JsonReply { Body: JsonObject { } list }) when On(Fault.WebhookListShowsSecret) && list["webhooks"] is JsonArray items:
                foreach (var item in items.OfType<JsonObject>())
                    item["secret"] = registry.Find(item["webhook_id"]!.GetValue<string>())?.Secret;
                break;
            case (WebhookEndpoints.DeleteName, NoContentReply) when On(Fault.WebhookDeleteAnswers200):
                return new JsonReply(200, new JsonObject { ["deleted"] = true });
            case (WebhookEndpoints.DeleteName, JsonReply { StatusCode: 404 }) when On(Fault.UnknownWebhookDeleteAnswers204):
                return new NoContentReply();
        }
        return (IResult)answer!;
    }

    /// <summary>The event as it is delivered; null when it is not delivered at all.</summary>
    public WebhookEvent? WebhookEvent(WebhookEvent happened)
    {
        if (happened.IsTerminal && On(Fault.WebhookNoTerminalEvent)) return null;
        var sent = happened;
        if (sent.Name == "session.completed" && On(Fault.WebhookWrongEventName)) sent = sent with { Name = "session.complete" };
        if (On(Fault.WebhookWrongSessionId)) sent = sent with { SessionId = sent.SessionId.ToUpperInvariant() };
        return sent;
    }

    /// <summary>The registrations an event goes to: those subscribed to it, or (fault) every registration.</summary>
    public IEnumerable<WebhookRegistration> WebhookRecipients(WebhookRegistry registry, WebhookEvent happened) =>
        (On(Fault.WebhookIgnoresSubscribedEvents) ? registry.All : registry.SubscribedTo(happened.Name))
        .Where(r => r.Tenant == happened.Tenant || On(Fault.WebhookEventsAcrossTenants))
        // WebhookPlainHttpAccepted registers a plain-http url but, unlike WebhookDeliveredOverHttp, never delivers there.
        .Where(r => !On(Fault.WebhookPlainHttpAccepted) || r.Url.StartsWith("https:", StringComparison.OrdinalIgnoreCase));

    /// <summary>An https-only server registers a plain-http url all the same (both faults of WebhookDeliveryOptions.HttpsOnlyFaults).</summary>
    public bool PlainHttpWebhookAccepted => On(Fault.WebhookPlainHttpAccepted) || On(Fault.WebhookDeliveredOverHttp);

    /// <summary>What a client's listing shows: its own registrations (WebhookListingAcrossTenants: everyone's).</summary>
    public IEnumerable<WebhookRegistration> WebhookListing(WebhookRegistry registry, string tenant) =>
        On(Fault.WebhookListingAcrossTenants) ? registry.All : registry.Of(tenant);

    /// <summary>The notification body: spec 10.5's three fields, or (fault) with the results pushed along on an outcome event.</summary>
    public JsonObject WebhookPayload(WebhookEvent sent)
    {
        var payload = sent.ToJson();
        if (sent.IsTerminal && On(Fault.WebhookNotificationCarriesTranscript))
        {
            payload["transcript"] = "Patient reports a dry cough for three days.";
            payload["templates"] = new JsonObject { ["clinical_notes_template"] = new JsonObject { ["chief_complaint"] = "dry cough" } };
        }
        return payload;
    }

    /// <summary>The header the signature goes in: the profile's own, or (fault) the other profile's.</summary>
    public string SignatureHeader(string profileHeader) => On(Fault.SignatureHeaderOfOtherProfile)
        ? WebhookSignature.HeaderNames.Values.Single(name => name != profileHeader)
        : profileHeader;

    /// <summary>When the terminal event goes out: once processing is over, or (fault) at End, delivered before End answers.</summary>
    public DateTimeOffset TerminalEventTime(DateTimeOffset ended, DateTimeOffset processed) =>
        On(Fault.WebhookBeforeStateChange) ? ended : processed;

    public bool RetriesWebhooks => !On(Fault.WebhookNoRetry);

    /// <summary>The delivery request as sent: the conforming content type and signature in, the faulty ones out.</summary>
    public void WebhookRequest(HttpRequestMessage request, string signatureHeader, string? secret, byte[] body, DateTimeOffset now)
    {
        if (On(Fault.WebhookTextPlain)) request.Content!.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        var t = now.ToUnixTimeSeconds();
        string? replacement;
        if (secret is not null && On(Fault.WebhookSignatureMissing)) replacement = null;
        else if (secret is not null && On(Fault.WebhookSignatureWrong)) replacement = WebhookSignature.Format(t, WebhookSignature.Hmac(secret, body));
        else if (secret is not null && On(Fault.WebhookSignatureStale)) replacement = WebhookSignature.Header(secret, t - 600, body);
        else if (secret is null && On(Fault.WebhookSignedWithoutSecret)) replacement = WebhookSignature.Header("", t, body);
        else return;
        request.Headers.Remove(signatureHeader);
        if (replacement is not null) request.Headers.TryAddWithoutValidation(signatureHeader, replacement);
    }
}
