using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Checks.Webhooks;

namespace Msa.Conformance.Checks;

/// <summary>Every check of the harness, by area. The suites and the kill matrix both enumerate this.</summary>
public static class Catalogue
{
    public static readonly IReadOnlyList<Check> GetSession =
        [.. GetSessionPairing.All, .. GetSessionFields.All, .. GetSessionTemplates.All, .. GetSessionPolling.All, .. GetSessionAuth.All];

    public static readonly IReadOnlyList<Check> Webhooks =
        [.. WebhookManagement.All, .. WebhookDelivery.All, .. WebhookConsistency.All, .. WebhookSigning.All];

    public static IReadOnlyList<Check> All => [.. GetSession, .. Webhooks];

    public static Check ById(string id) => All.Single(c => c.Id == id);
}
