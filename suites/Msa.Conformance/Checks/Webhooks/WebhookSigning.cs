using Msa.Conformance.Scenarios;
using Msa.Conformance.Webhooks;
using static Msa.Conformance.Checks.Level;
using static Msa.Conformance.Checks.Webhooks.WebhookFacts;

namespace Msa.Conformance.Checks.Webhooks;

/// <summary>
/// Signatures (spec 10.7, 12.4; Eka webhook-signature; CF-51, CF-52): a header t={unix},v1={hex HMAC-SHA256(secret,
/// "{t}.{raw body}")} on every delivery to the registration with a secret, none on the registration without one.
/// WH-SIG-01/04/05/07 read the header under either name, X-MSA-Signature (spec) or Eka-Webhook-Signature (Eka), so a
/// signature is verified whatever it is called; WH-SIG-02/03 then hold each profile to its own name.
/// </summary>
public static class WebhookSigning
{
    private const string Source = "spec 10.7; eka webhook-signature; CF-51";

    public static readonly Check Present = new(
        "webhooks.signature.present", "Every delivery for a registration with a secret carries a signature header t=<unix seconds>,v1=<hex>",
        new("WH-SIG-01"), Scenario.Webhooks, o =>
        {
            var w = Delivered(o);
            var v = new Violations();
            foreach (var d in ToSigned(w))
            {
                var signature = WebhookSignature.Of(d, o.Options.Profile);
                v.When(signature is not { WellFormed: true }, Proof(d), () => $"Expected: {WebhookSignature.MsaHeader} (or {WebhookSignature.EkaHeader}): t=<unix seconds>,v1=<64 hex digits>\n"
                    + $"Received: {(signature is null ? "no signature header" : $"{signature.HeaderName}: {signature.Value}")}");
            }
            return v.Result();
        });

    public static readonly Check Valid = new(
        "webhooks.signature.valid", "v1 is the HMAC-SHA256 of \"{t}.{raw body}\" keyed with the registered secret",
        new("WH-SIG-04"), Scenario.Webhooks, o =>
        {
            var w = Delivered(o);
            var signed = WellFormed(w, o.Options.Profile);
            var v = new Violations();
            foreach (var (d, signature) in signed)
                v.When(!w.Verifies(d, signature), Proof(d), () => $"Expected: v1 = hex HMAC-SHA256(secret, \"{signature.T}.\" + the {d.Body.Length} raw body bytes)\n"
                    + $"Received: {signature.HeaderName}: {signature.Value}, which does not match (compared in constant time)");
            return v.Result($"{signed.Count} signature(s) recomputed over the raw bytes received; all match.");
        });

    public static readonly Check Fresh = new(
        "webhooks.signature.fresh", "The signature's t is the signing time: within the replay window of the receiver's clock on arrival",
        new("WH-SIG-05"), Scenario.Webhooks, o =>
        {
            var w = Delivered(o);
            var tolerance = WebhookSignature.ToleranceSeconds(o.Options.Profile);
            var v = new Violations();
            foreach (var (d, signature) in WellFormed(w, o.Options.Profile))
            {
                var age = signature.AgeSeconds(d.ArrivedAt)!.Value;
                v.When(Math.Abs(age) > tolerance, Proof(d), () => $"Expected: t within {tolerance} s of the arrival ({o.Options.Profile} profile)\n"
                    + $"Received: t={signature.T}, {Math.Abs(age):0} s {(age >= 0 ? "before" : "after")} the arrival at {d.ArrivedAt:O}");
            }
            return v.Result();
        });

    public static readonly Check AbsentWithoutSecret = new(
        "webhooks.signature.absent-without-secret", "Deliveries for a registration without a secret carry no signature header",
        new("WH-SIG-07"), Scenario.Webhooks, o =>
        {
            var w = Delivered(o);
            if (w.Unsigned?.WebhookId is null) throw new NotReached(Verdict.Inconclusive, "the registration without a secret was not accepted");
            var unsigned = w.ToUnsigned;
            if (unsigned.Count == 0) throw new NotReached(Verdict.Inconclusive, "nothing was delivered to the registration without a secret");
            var v = new Violations();
            foreach (var d in unsigned)
            {
                var found = WebhookSignature.Of(d, o.Options.Profile);
                v.When(found is not null, Proof(d), () => $"Expected: no signature header (no secret was registered)\nReceived: {found!.HeaderName}: {found.Value}");
            }
            return v.Result();
        });

    public static readonly Check MsaHeaderName = HeaderNamed(ProtocolProfile.MsaDraft, "WH-SIG-02");
    public static readonly Check EkaHeaderName = HeaderNamed(ProtocolProfile.Ekascribe, "WH-SIG-03");

    public static IReadOnlyList<Check> All => [Present, MsaHeaderName, EkaHeaderName, Valid, Fresh, AbsentWithoutSecret];

    /// <summary>The check, for one profile, that every signature to the signed registration is in that profile's header (WebhookSignature.HeaderOf).</summary>
    private static Check HeaderNamed(ProtocolProfile profile, string requirement)
    {
        var (name, profileName) = (WebhookSignature.HeaderOf[profile], HarnessOptions.ProfileName(profile));
        return new($"webhooks.signature.header-name-{profileName}", $"The signature header is called {name}",
            new(requirement), Scenario.Webhooks, o =>
            {
                var signed = Signed(Delivered(o), o.Options.Profile, s => s is not null, "no delivery to the registration with a secret carried a signature header (see WH-SIG-01)");
                var v = new Violations();
                foreach (var (d, signature) in signed)
                    v.When(signature.HeaderName != name, Proof(d), () => $"Expected: the signature in {name} ({profileName} profile)\nReceived: {signature.HeaderName}: {signature.Value}");
                return v.Result($"{signed.Count} signed delivery(ies), each signature in {name}.");
            });
    }

    /// <summary>The deliveries to the signed registration whose signature header is well formed (the others fail WH-SIG-01).</summary>
    private static List<(ReceivedWebhook Delivery, WebhookSignature Signature)> WellFormed(WebhookObservations w, string profile) =>
        Signed(w, profile, s => s is { WellFormed: true }, "no delivery carried a well-formed signature to verify (see WH-SIG-01)");

    /// <summary>The deliveries to the signed registration whose signature header (under either name) passes `keep`; inconclusive when none does.</summary>
    private static List<(ReceivedWebhook Delivery, WebhookSignature Signature)> Signed(WebhookObservations w, string profile, Func<WebhookSignature?, bool> keep, string noneKept)
    {
        var signed = ToSigned(w).Select(d => (d, WebhookSignature.Of(d, profile))).Where(p => keep(p.Item2)).Select(p => (p.d, p.Item2!)).ToList();
        return signed.Count > 0 ? signed : throw new NotReached(Verdict.Inconclusive, noneKept);
    }
}
