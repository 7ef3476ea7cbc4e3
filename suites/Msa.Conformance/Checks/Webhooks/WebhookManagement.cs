using System.Text.Json.Nodes;
using Msa.Conformance.Scenarios;
using Msa.Conformance.Webhooks;
using static Msa.Conformance.Checks.Level;
using static Msa.Conformance.Checks.Webhooks.WebhookFacts;

namespace Msa.Conformance.Checks.Webhooks;

/// <summary>Registering, listing and deleting webhooks at discovery's webhooks_url (spec 10.2, 10.3).</summary>
public static class WebhookManagement
{
    public static readonly Check Registered = new(
        "webhooks.management.registered", "Registering a webhook answers 201 with webhook_id, url, events, status active and created_at",
        new("WH-REG-01"), Scenario.Webhooks, o =>
        {
            var w = Observed(o);
            var answered = new[] { w.Signed, w.Unsigned }.OfType<WebhookRegistration>().Where(r => r.Answer.GotResponse).ToList();
            if (answered.Count == 0) throw o.Run.Unreached("no registration got an answer");
            var v = new Violations();
            foreach (var r in answered)
            {
                var x = r.Answer;
                v.When(x.Status != 201, x, () => $"Expected: HTTP 201 for the registration ({r.Label})\nReceived: HTTP {x.Status}: {x.Excerpt(200)}");
                var problems = x.JsonObject is null ? [$"the body is not a JSON object: {x.JsonError}"] : SchemaValidator.Validate("webhook-registration.json", x.Body);
                v.When(problems.Count > 0, x, () => $"Expected: a body valid against schemas/webhook-registration.json\nReceived: {string.Join("; ", problems.Take(6))}");
                v.When(x.JsonObject?["url"] is JsonValue && x.Text("url") != r.Url, x, () => $"Expected: url \"{r.Url}\" (as registered)\nReceived: {Rules.Show(x.JsonObject?["url"])}");
                var events = (x.JsonObject?["events"] as JsonArray)?.Select(e => e?.ToString()).ToHashSet();
                v.When(events is not null && !events.SetEquals(WebhookEvents.All), x,
                    () => $"Expected: events {string.Join(", ", WebhookEvents.All)} (as registered)\nReceived: {Rules.Show(x.JsonObject?["events"])}");
            }
            return v.Result();
        });

    public static readonly Check CredentialRequired = new(
        "webhooks.management.credential-required", "Registering, listing and deleting webhooks without a credential is refused with 401",
        new("WH-REG-02"), Scenario.Webhooks, o =>
        {
            var w = Managed(o);
            var probes = new[] { WebhookSequence.RegisterWithoutCredential, WebhookSequence.ListWithoutCredential, WebhookSequence.DeleteWithoutCredential }
                .Select(w.Probes.GetValueOrDefault).OfType<Http.Exchange>().Where(x => x.GotResponse).ToList();
            if (probes.Count == 0) throw o.Run.Unreached("no webhook request without a credential got an answer");
            var v = new Violations();
            foreach (var x in probes)
                v.When(x.Status != 401, x, () => $"Expected: HTTP 401 for {x.Method} without a credential\nReceived: HTTP {x.Status}: {x.Excerpt(150)}");
            return v.Result();
        });

    public static readonly Check Listed = new(
        "webhooks.management.listed", "GET webhooks_url answers {\"webhooks\": [...]} including the registrations just made",
        new("WH-REG-06"), Scenario.Webhooks, o =>
        {
            var w = Managed(o);
            var ids = new[] { w.Signed, w.Unsigned }.Select(r => r?.WebhookId).OfType<string>().ToList();
            var x = w.ListAfterRegistering;
            if (ids.Count == 0 || x is null || !x.GotResponse) throw o.Run.Unreached("no registration was accepted and then listed");
            var listed = (x.JsonObject?["webhooks"] as JsonArray)?.Select(i => (i as JsonObject)?["webhook_id"]?.ToString()).ToHashSet() ?? [];
            var problems = x.JsonObject is null ? [$"the body is not a JSON object: {x.JsonError}"] : SchemaValidator.Validate("webhook-list.json", x.Body);
            return new Violations()
                .When(x.Status != 200, x, () => $"Expected: HTTP 200\nReceived: HTTP {x.Status}: {x.Excerpt(150)}")
                .When(problems.Count > 0, x, () => $"Expected: a body valid against schemas/webhook-list.json\nReceived: {string.Join("; ", problems.Take(6))}")
                .When(ids.Any(id => !listed.Contains(id)), x, () => $"Expected: webhook_id {string.Join(" and ", ids)} in the listing\nReceived: {x.Excerpt(300)}")
                .Result();
        });

    public static readonly Check SecretNotListed = new(
        "webhooks.management.secret-not-listed", "The webhook listing never reveals a registered secret",
        new("WH-REG-07"), Scenario.Webhooks, o =>
        {
            var w = Managed(o);
            var lists = new[] { w.ListAfterRegistering, w.ListAfterDeleting }.OfType<Http.Exchange>().Where(x => x.GotResponse).ToList();
            if (w.Signed?.WebhookId is null || lists.Count == 0) throw o.Run.Unreached("no registration with a secret was accepted and listed");
            var v = new Violations();
            foreach (var x in lists)
                v.When(x.Body.Contains(w.Secret, StringComparison.Ordinal), x,
                    () => $"Expected: a listing without the secret registered for the signed webhook\nReceived: the secret ({Http.Redactor.Mask}) in the body");
            return v.Result();
        });

    public static readonly Check Deleted = new(
        "webhooks.management.deleted", "DELETE {webhooks_url}/{webhook_id} answers 204, after which the webhook is gone from the listing",
        new("WH-REG-08"), Scenario.Webhooks, o =>
        {
            var w = Managed(o);
            if (w.Accepted.Count == 0 || w.ListAfterDeleting is not { GotResponse: true } after) throw o.Run.Unreached("nothing was registered, deleted and listed again");
            // A registration the unauthenticated DELETE already removed (a WH-REG-02 failure) cannot be deleted twice.
            var goneWithoutCredential = w.Probes.GetValueOrDefault(WebhookSequence.DeleteWithoutCredential) is { Status: >= 200 and < 300 } ? w.Signed?.WebhookId : null;
            var listed = (after.JsonObject?["webhooks"] as JsonArray)?.Select(i => (i as JsonObject)?["webhook_id"]?.ToString()).ToHashSet() ?? [];
            var v = new Violations();
            foreach (var r in w.Accepted.Where(r => r.WebhookId != goneWithoutCredential))
            {
                if (w.Deletes.GetValueOrDefault(r.Label) is not { GotResponse: true } x) throw o.Run.Unreached($"the DELETE of the {r.Label} registration got no answer");
                v.When(x.Status != 204, x, () => $"Expected: HTTP 204 No Content\nReceived: HTTP {x.Status}: {x.Excerpt(150)}");
                v.When(listed.Contains(r.WebhookId), after, () => $"Expected: {r.WebhookId} gone from the listing after its DELETE\nReceived: {after.Excerpt(300)}");
            }
            return v.Result();
        });

    public static readonly Check UnknownIdIs404 = new(
        "webhooks.management.unknown-id-404", "Deleting an unknown webhook id answers 404 with the error code webhook_not_found",
        new("WH-REG-09"), Scenario.Webhooks, o =>
        {
            var w = Managed(o);
            if (w.Probes.GetValueOrDefault(WebhookSequence.DeleteUnknown) is not { GotResponse: true } x) throw o.Run.Unreached("no DELETE of an unknown webhook id got an answer");
            var problems = Expect.EnvelopeProblems(x);
            var code = (x.JsonObject?["error"] as JsonObject)?["code"]?.ToString();
            return new Violations()
                .When(x.Status != 404 || problems.Count > 0 || code != "webhook_not_found", x,
                    () => $"Expected: HTTP 404 with {{\"error\":{{\"code\":\"webhook_not_found\",\"message\"}}}}\nReceived: HTTP {x.Status}{(problems.Count > 0 ? "; " + string.Join("; ", problems) : $", code {code}")}")
                .Result();
        });

    public static readonly Check PlainHttpRefused = new(
        "webhooks.management.plain-http-refused", "A registration whose url is plain http is refused with 400",
        new("WH-REG-03"), Scenario.Webhooks, o =>
        {
            var r = PlainHttp(Managed(o));
            var x = r.Answer;
            if (!x.GotResponse) return CheckResult.Inconclusive($"the plain-http registration got no answer: {x.TransportError}");
            return new Violations().When(x.Status != 400, x, () => $"Expected: HTTP 400 for the registration of {r.Url} (not https)\nReceived: HTTP {x.Status}: {x.Excerpt(200)}")
                .Result($"{x.Summary()}: the plain-http url was refused.");
        });

    public static IReadOnlyList<Check> All => [Registered, CredentialRequired, Listed, SecretNotListed, Deleted, UnknownIdIs404, PlainHttpRefused];
}
