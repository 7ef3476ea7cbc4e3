using Msa.Conformance.Scenarios;
using Msa.Conformance.Webhooks;

namespace Msa.Conformance.Checks.Webhooks;

/// <summary>ISO-10: webhook registrations belong to one client (needs a key of another tenant, MSA_OtherTenantToken).</summary>
public static class WebhookIsolation
{
    public static readonly Check OtherTenantSeesNoneOfOurs = new(
        "webhooks.isolation.other-tenant", "Another client's key lists none of this client's registrations, and no event of that client's session reaches them",
        new("ISO-10"), Scenario.Webhooks, o =>
        {
            Expect.OtherTenantKeyGiven(o);
            var w = WebhookFacts.Managed(o);
            var list = w.ListAsOtherTenant ?? throw o.Run.Unreached("the webhooks were not registered, so another client's view of them was not observed");
            var v = new Violations();
            if (list.Accepted)
                foreach (var r in w.Accepted)
                    v.When(OtherClientsView.Shows(list.Body, r), list, () => "Expected: another client's listing without this client's registrations\n"
                        + $"Received: it shows the {r.Label} registration (webhook_id {r.WebhookId}), made with this client's key");
            if (!list.GotResponse || list.Status >= 500)
                return v.Count > 0 ? v.Result() : CheckResult.Inconclusive($"another client's listing got no usable answer ({list.Summary()})", list);

            // The other half needs deliveries observed, and a session of the other client whose id is its alone.
            if (v.Count == 0) WebhookFacts.Delivered(o);
            var foreign = w.OtherTenantSessionId;
            if (foreign is not null && !w.OtherTenantIdRepeated)
                foreach (var d in w.Deliveries.Where(d => d.SessionId == foreign))
                    v.When(true, d.Exchange, () => "Expected: no event about another client's session at this client's registrations\n"
                        + $"Received: {d.Event} about {foreign} (created with the other client's key) at the {w.RegistrationOf(d)} registration");
            if (v.Count > 0) return v.Result();
            if (foreign is null)
                throw o.Run.Unreached($"another client's key could not create a session ({w.OtherTenantCreate?.Summary() ?? "not tried"}), so whether its events stay with it was not observed");
            if (w.OtherTenantIdRepeated)
                throw o.Run.Unreached($"the other client's session id {foreign} was also handed out to a Create of this client (see CRE-09), so its events cannot be told apart");
            return CheckResult.Pass($"another client's listing ({list.Status}) shows none of the {w.Accepted.Count} registrations; {w.Deliveries.Count} deliveries arrived, none about its session {foreign}.");
        });

    public static IReadOnlyList<Check> All => [OtherTenantSeesNoneOfOurs];
}
