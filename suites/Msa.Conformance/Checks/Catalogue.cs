using Msa.Conformance.Checks.AdditionalData;
using Msa.Conformance.Checks.Auth;
using Msa.Conformance.Checks.CreateSession;
using Msa.Conformance.Checks.Discovery;
using Msa.Conformance.Checks.EndSession;
using Msa.Conformance.Checks.Errors;
using Msa.Conformance.Checks.Expiry;
using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Checks.Isolation;
using Msa.Conformance.Checks.RateLimit;
using Msa.Conformance.Checks.Templates;
using Msa.Conformance.Checks.Transport;
using Msa.Conformance.Checks.Upload;
using Msa.Conformance.Checks.Versioning;
using Msa.Conformance.Checks.Webhooks;

namespace Msa.Conformance.Checks;

/// <summary>Every check of the harness, by area. The suites and the kill matrix both enumerate this.</summary>
public static class Catalogue
{
    public static readonly IReadOnlyList<Check> GetSession =
        [.. GetSessionPairing.All, .. GetSessionFields.All, .. GetSessionTemplates.All, .. GetSessionPolling.All, .. GetSessionValues.All, .. GetSessionOutcomes.All, .. GetSessionDraftFields.All];

    public static readonly IReadOnlyList<Check> Discovery = [.. DiscoveryRules.All, .. DiscoveryFields.All, .. DiscoveryCoverage.All];

    public static readonly IReadOnlyList<Check> CreateSession = [.. CreateSessionCreated.All, .. CreateSessionRefusals.All, .. CreateSessionAccepted.All];

    public static readonly IReadOnlyList<Check> Versioning = VersionHeader.All;


    public static readonly IReadOnlyList<Check> Upload = [.. UploadAccepted.All, .. UploadRefused.All, .. UploadCoverage.All, .. UploadNumericOrder.All, .. StreamUpload.All];

    public static readonly IReadOnlyList<Check> EndSession = [.. EndSessionAnswer.All, .. EndSessionMessage.All, .. EndSessionRace.All];

    public static readonly IReadOnlyList<Check> Errors = [.. ErrorEnvelope.All, .. ErrorMessage.All, .. ErrorCodeStatus.All];

    public static readonly IReadOnlyList<Check> Auth = [.. Authentication.All, .. AuthenticationCoverage.All];

    public static readonly IReadOnlyList<Check> Expiry = [.. SessionExpiry.All, .. ExpiredAnswer.All];

    public static readonly IReadOnlyList<Check> AdditionalData = [.. AdditionalDataPassThrough.All, .. AdditionalDataIsolation.All];

    public static readonly IReadOnlyList<Check> Templates = TemplatesCatalogue.All;

    public static readonly IReadOnlyList<Check> Webhooks =
        [.. WebhookManagement.All, .. WebhookDelivery.All, .. WebhookConsistency.All, .. WebhookSigning.All, .. WebhookIsolation.All];

    public static readonly IReadOnlyList<Check> RateLimit = RateLimits.All;

    public static readonly IReadOnlyList<Check> Transport = TlsChecks.All;

    public static readonly IReadOnlyList<Check> Isolation = SideBySideResults.All;

    public static IReadOnlyList<Check> All =>
        [.. Discovery, .. CreateSession, .. Versioning, .. Upload, .. EndSession, .. GetSession, .. Errors, .. Auth, .. Expiry, .. AdditionalData, .. Templates, .. Webhooks, .. RateLimit, .. Transport, .. Isolation];

    public static Check ById(string id) => All.Single(c => c.Id == id);
}
