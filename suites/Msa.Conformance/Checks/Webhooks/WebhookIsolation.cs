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
            if (o.Options.OtherTenantToken.Length == 0)
                throw new NotReached(Verdict.NotApplicable, "no key of another client was given (set MSA_OtherTenantToken to a valid key of a second tenant to check this)");
            var w = o.Run.Webhooks is { ListAsOtherTenant: not null } seen ? seen
                : throw o.Run.Unreached("the webhooks were not registered, so another client's view of them was not observed");
            var list = w.ListAsOtherTenant!;
            var v = new Violations();
            if (list.Accepted)
                foreach (var r in w.Accepted)
                    v.When(OtherClientsView.Shows(list.Body, r), list, () => "Expected: another client's listing without this client's registrations\n"
                        + $"Received: it shows the {r.Label} registration (webhook_id {r.WebhookId}), made with this client's key");
            var foreign = w.OtherTenantSessionId;
            foreach (var d in w.Deliveries.Where(d => foreign is not null && d.SessionId == foreign))
                v.When(true, d.Exchange, () => $"Expected: no event about another client's session at this client's registrations\n"
                    + $"Received: {d.Event} about {foreign} (created with the other client's key) at the {w.RegistrationOf(d)} registration");
            if (v.Count > 0) return v.Result();
            // Nothing shown: a verdict needs both halves observed, the listing answered and the other client's session made while ours listened.
            if (!list.GotResponse || list.Status >= 500)
                return CheckResult.Inconclusive($"another client's listing got no usable answer ({list.Summary()})", list);
            if (foreign is null)
                return CheckResult.Inconclusive($"another client's key could not create a session ({w.OtherTenantCreate?.Summary() ?? "not tried"}), so whether its events stay with it was not observed", [.. new[] { w.OtherTenantCreate }.OfType<Http.Exchange>()]);
            if (w.NoDeliveries is { } none)
                return CheckResult.Inconclusive($"no delivery could be observed at all: {none}");
            return CheckResult.Pass($"another client's listing ({list.Status}) shows none of the {w.Accepted.Count} registrations; {w.Deliveries.Count} deliveries arrived, none about its session {foreign}.");
        });

    public static IReadOnlyList<Check> All => [OtherTenantSeesNoneOfOurs];
}
