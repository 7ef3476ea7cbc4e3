using Msa.Conformance.Checks;
using Msa.Conformance.Checks.Webhooks;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

public static partial class KillMatrix
{
    private static readonly IReadOnlyList<(Fault Fault, Check Check)> WebhookCoverageRows =
    [
        (Fault.WebhookIgnoresSubscribedEvents, WebhookDelivery.OnlySubscribedEvents),
        (Fault.WebhookNotificationCarriesTranscript, WebhookDelivery.NoResultsOrPatientData),
        (Fault.SignatureHeaderOfOtherProfile, WebhookSigning.MsaHeaderName),
        (Fault.SignatureHeaderOfOtherProfile, WebhookSigning.EkaHeaderName),
    ];
}
