using System.Collections.Concurrent;
using Msa.Conformance.Checks;
using Msa.Conformance.Checks.AdditionalData;
using Msa.Conformance.Checks.Auth;
using Msa.Conformance.Checks.CreateSession;
using Msa.Conformance.Checks.Discovery;
using Msa.Conformance.Checks.EndSession;
using Msa.Conformance.Checks.Errors;
using Msa.Conformance.Checks.Expiry;
using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Checks.Upload;
using Msa.Conformance.Checks.Versioning;
using Msa.Conformance.Checks.Webhooks;
using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>
/// Every check can fail: for each check there is a reference-server defect that it must catch, and against the
/// clean reference server it must pass. This table is the proof's data; the tests below run it. A row runs in the
/// profile of its check (a check for both profiles runs in ekascribe), against a reference server of that profile.
/// </summary>
public static partial class KillMatrix
{
    /// <summary>Every (defect, check) pair: the core table below and the groups in KillMatrix.*.cs.</summary>
    public static readonly IReadOnlyList<(Fault Fault, Check Check)> Rows;

    // A static constructor runs after every field initialiser of every part, so all group tables exist here.
    static KillMatrix() => Rows = [.. CoreRows, .. TemplatesCatalogueRows, .. WebhookCoverageRows, .. CoverageFRows];

    private static readonly IReadOnlyList<(Fault Fault, Check Check)> CoreRows =
    [
        (Fault.UnknownStatusWhileProcessing, GetSessionPairing.Every202IsProcessingOrInitialized),
        (Fault.ProcessingAs200, GetSessionPairing.StatusImpliesCode),
        (Fault.FailedAs500, GetSessionPairing.FailedOnlyWith200),
        (Fault.CompletedStatusMisspelt, GetSessionPairing.CompletedIs200),
        (Fault.FailedAs500, GetSessionPairing.FailedIs200),
        (Fault.PartialAs200, GetSessionPairing.PartialIs206),
        (Fault.ExpiredAs404, GetSessionPairing.ExpiredIs410),
        (Fault.UnknownSessionWithoutEnvelope, GetSessionPairing.UnknownIs404WithEnvelope),
        (Fault.NotEndedAs200, GetSessionPairing.NotEndedIs202),
        (Fault.ProcessingBeforeEnd, GetSessionPairing.InitializedThenProcessing),
        (Fault.TerminalRevertsTo202, GetSessionPairing.TerminalIsStable),
        (Fault.NotFoundRightAfterEnd, GetSessionPairing.No404AfterEnd),
        (Fault.WrongSessionIdInBody, GetSessionPairing.SessionIdEchoed),
        (Fault.TextPlainContentType, GetSessionPairing.JsonContentType),
        (Fault.MissingExpiresAtWhileProcessing, Schema("202")),
        (Fault.CompletedWithoutTranscript, Schema("200-completed")),
        (Fault.FailedWithoutAudioFiles, Schema("200-failed")),
        (Fault.PartialWithoutProcessingErrors, Schema("206")),
        (Fault.ExpiredWithoutExpiredAt, Schema("410")),
        (Fault.UploadUrlMissingWhenCompleted, GetSessionFields.UploadUrlInEveryState),
        (Fault.TimestampsWithoutOffset, GetSessionFields.TimestampsAreRfc3339),
        (Fault.CreatedAtDrifts, GetSessionFields.CreatedAtUnchanged),
        (Fault.AudioCountMismatch, GetSessionFields.AudioCountMatchesList),
        (Fault.GetForgetsUploadsBeforeEnd, GetSessionFields.CountsUploadsBeforeEnd),
        (Fault.EndAndGetDisagreeOnFiles, GetSessionFields.FilesMatchEnd),
        (Fault.TemplatesAsMap, GetSessionTemplates.IsList),
        (Fault.TemplateEntryWithTwoKeys, GetSessionTemplates.SingleKeyEntries),
        (Fault.TemplateEntryWithoutStatus, GetSessionTemplates.EntryFields),
        (Fault.CompletedTemplateNotSuccess, GetSessionTemplates.CompletedAllSuccess),
        (Fault.CompletedMissesRequestedTemplate, GetSessionTemplates.EveryRequestedPresent),
        (Fault.TemplateFilterIgnored, GetSessionTemplates.FilterReturnsOnlyThatId),
        (Fault.TemplateFilterDropsRepeats, GetSessionTemplates.FilterKeepsEveryEntry),
        (Fault.ThrottlesPolling, GetSessionPolling.NotRefused),
        (Fault.StatusRegressesToInitialized, GetSessionPolling.NoReturnToInitialized),
        (Fault.NoCredentialAccepted, Authentication.MissingCredential),
        (Fault.UnauthorizedWithoutEnvelope, Authentication.UnauthorizedHasEnvelope),
        (Fault.WrongCredentialAcceptedOnUpload, Authentication.WrongCredential),
        (Fault.SessionLookedUpBeforeAuth, Authentication.CheckedBeforeLookup),
        (Fault.UploadAnswers204, UploadAccepted.RawChunkIs200),
        (Fault.UploadSuccessFalse, UploadAccepted.SuccessBody),
        (Fault.UploadBodyWithoutOriginalFilename, UploadAccepted.BodyEchoes),
        (Fault.MultipartUploadRefused, UploadAccepted.MultipartAccepted),
        (Fault.OggUploadsRefused, UploadAccepted.AdvertisedFormatsAccepted),
        (Fault.AudioFilesInArrivalOrder, UploadAccepted.OutOfOrderListedInSequence),
        (Fault.UnsupportedFormatAccepted, UploadRefused.UnsupportedType),
        (Fault.OversizeChunkAccepted, UploadRefused.OversizeChunk),
        (Fault.UnknownSessionUploadCodeNotFound, UploadRefused.UnknownSession),
        (Fault.UploadAcceptedAfterEnd, UploadRefused.AfterEndRefused),
        (Fault.EndedUploadRefusedWithWrongCode, UploadRefused.AfterEndIsSessionEnded),
        (Fault.EndAnswers200, EndSessionAnswer.Is202),
        (Fault.EndBodyWithoutAudioFiles, EndSessionAnswer.BodyFields),
        (Fault.EndBodyWrongSessionId, EndSessionAnswer.SessionIdEchoed),
        (Fault.EndStatusQueued, EndSessionAnswer.StatusProcessing),
        (Fault.EndCountsOneMore, EndSessionAnswer.CountsMatchUploads),
        (Fault.EndListsFilesReversed, EndSessionAnswer.FilesInSequenceOrder),
        (Fault.UnknownSessionEndWithoutEnvelope, EndSessionAnswer.UnknownSession),
        (Fault.SecondEndAccepted, EndSessionAnswer.SecondEndRefused),
        (Fault.EndMismatchHidden, EndSessionAnswer.MismatchVisible),
        (Fault.UploadErrorsWithoutEnvelope, ErrorEnvelope.Envelope),
        (Fault.ErrorCodesUpperCase, ErrorEnvelope.CodeLowerSnake),
        (Fault.ErrorsAsTextPlain, ErrorEnvelope.JsonContentType),
        (Fault.ErrorCodeStatusMismatch, ErrorEnvelope.CodeMatchesStatus),
        (Fault.ExpiredBeforeExpiresAt, SessionExpiry.NeverBeforeExpiresAt),
        (Fault.UploadAcceptedAfterExpiry, SessionExpiry.UploadRefused),
        (Fault.ExpiredUploadRefusedWith400, SessionExpiry.UploadRefusedAs410),
        (Fault.EndAcceptedAfterExpiry, SessionExpiry.EndRefused),
        (Fault.ExpiredSessionForgotten, SessionExpiry.StaysExpired),
        (Fault.AdditionalDataMissingWhenExpired, AdditionalDataPassThrough.PresentInEveryState),
        (Fault.AdditionalDataNullsDropped, AdditionalDataPassThrough.Unchanged),
        (Fault.ProtocolKeyWithoutTemplates, AdditionalDataPassThrough.ReservedKeyMatchesCreate),

        (Fault.TemplatesAsList, GetSessionTemplates.IsMap),

        (Fault.DiscoveryOnlyAtHostRoot, DiscoveryRules.BelowBaseUrl),
        (Fault.DiscoveryNotAtHostRoot, DiscoveryRules.AtHostRoot),
        (Fault.DiscoveryRequiresCredential, DiscoveryRules.Public),
        (Fault.DiscoveryTextPlain, DiscoveryRules.JsonContentType),
        (Fault.DiscoveryNotCacheable, DiscoveryRules.Cacheable),
        (Fault.DiscoveryBaseUrlRelative, DiscoveryRules.BaseUrlIsHttps),
        (Fault.DiscoveryWebhooksWithoutUrl, DiscoveryRules.WebhooksUrlWhenDelivering),
        (Fault.DiscoveryRepeatedModelId, DiscoveryRules.UniqueModelIds),
        (Fault.DiscoveryModelLanguageUnsupported, DiscoveryRules.ModelLanguagesSupported),
        (Fault.DiscoveryProtocolMisspelt, DiscoveryField("protocol")),
        (Fault.DiscoveryVersionNotMajorMinor, DiscoveryField("protocol-version")),
        (Fault.DiscoveryVersionNotSupported, DiscoveryField("supported-versions")),
        (Fault.DiscoveryWithoutVersion01, DiscoveryField("supports-0.1")),
        (Fault.DiscoveryUnknownAuthMethod, DiscoveryField("auth-methods")),
        (Fault.DiscoveryAudioFormatNotMime, DiscoveryField("audio-formats")),
        (Fault.DiscoveryChunkDurationZero, DiscoveryField("max-chunk-duration")),
        (Fault.DiscoveryStreamOnlyUpload, DiscoveryField("upload-methods")),
        (Fault.DiscoveryDeliveryFlagAsString, DiscoveryField("delivery-flags")),
        (Fault.DiscoveryModelWithoutDuration, DiscoveryField("models")),
        (Fault.DiscoveryLanguageNotIso, DiscoveryField("languages")),

        (Fault.CreateAnswers200, CreateSessionCreated.Answers201),
        (Fault.CreatedWithoutExpiresAt, CreateSessionCreated.Fields),
        (Fault.CreatedStatusInitialized, CreateSessionCreated.StatusCreated),
        (Fault.CreatedExpiresAtEqualsCreatedAt, CreateSessionCreated.ExpiresAfterCreated),
        (Fault.CreatedAtOneDayEarly, CreateSessionCreated.CreatedAtIsNow),
        (Fault.CreatedLifetimeOneDay, CreateSessionCreated.LifetimeAsExpected),
        (Fault.CreatedUploadUrlRelative, CreateSessionCreated.UploadUrlAbsolute),
        (Fault.CreatedUploadUrlElsewhere, CreateSessionCreated.UploadUrlIsUploadEndpoint),
        (Fault.CreatedAsTextPlain, CreateSessionCreated.JsonContentType),
        (Fault.ClientSessionIdIgnored, CreateSessionCreated.ClientSessionId),
        (Fault.SingleUploadAdvertisedButRefused, CreateSessionCreated.AdvertisedUploadMethodsAccepted),
        (Fault.CreateInvalidJsonAs500, Refusal("not-json")),
        (Fault.CreateDefaultsUploadType, Refusal("missing-upload-type")),
        (Fault.CreateDefaultsUploadType, Refusal("missing-upload-type-draft")),
        (Fault.CreateAcceptsTemplatesString, Refusal("templates-not-list")),
        (Fault.CreateMistypedUploadTypeAs500, Refusal("upload-type-number")),
        (Fault.CreateAcceptsUnknownUploadType, Refusal("upload-type-unknown")),
        (Fault.CreateAcceptsUnadvertisedUploadType, Refusal("upload-type-not-advertised")),
        (Fault.CreateAcceptsUnknownModel, Refusal("model-unknown")),
        (Fault.CreateAcceptsThreeTemplates, Refusal("three-templates")),
        (Fault.CreateIgnoresSessionIdLength, Refusal("session-id-15-chars")),
        (Fault.CreateIgnoresSessionIdLength, Refusal("session-id-33-chars")),

        (Fault.SupportedVersionRefused, VersionHeader.SupportedVersionAccepted),
        (Fault.UnsupportedVersionIgnored, VersionHeader.UnsupportedVersionRefused),

        (Fault.RegistrationAnswers200, WebhookManagement.Registered),
        (Fault.WebhooksAcceptNoCredential, WebhookManagement.CredentialRequired),
        (Fault.WebhookListOmitsRegistrations, WebhookManagement.Listed),
        (Fault.WebhookListShowsSecret, WebhookManagement.SecretNotListed),
        (Fault.WebhookDeleteAnswers200, WebhookManagement.Deleted),
        (Fault.UnknownWebhookDeleteAnswers204, WebhookManagement.UnknownIdIs404),
        (Fault.WebhookNoTerminalEvent, WebhookDelivery.AfterProcessing),
        (Fault.WebhookBeforeStateChange, WebhookDelivery.AfterProcessing),
        (Fault.WebhookWrongEventName, WebhookDelivery.PayloadSchema),
        (Fault.WebhookWrongSessionId, WebhookDelivery.Started),
        (Fault.WebhookWrongSessionId, WebhookDelivery.Ended),
        (Fault.WebhookWrongEventName, WebhookDelivery.Completed),
        (Fault.WebhookNoTerminalEvent, WebhookDelivery.Completed),
        (Fault.WebhookNoTerminalEvent, WebhookDelivery.Partial),
        (Fault.WebhookNoTerminalEvent, WebhookDelivery.Failed),
        (Fault.WebhookNoTerminalEvent, WebhookDelivery.Expired),
        (Fault.WebhookTextPlain, WebhookDelivery.JsonContentType),
        (Fault.WebhookNoRetry, WebhookDelivery.Retried),
        (Fault.WebhookBeforeStateChange, WebhookConsistency.StateVisibleOnReceipt),
        (Fault.WebhookSignatureMissing, WebhookSigning.Present),
        (Fault.WebhookSignatureWrong, WebhookSigning.Valid),
        (Fault.WebhookSignatureStale, WebhookSigning.Fresh),
        (Fault.WebhookSignedWithoutSecret, WebhookSigning.AbsentWithoutSecret),
        // Coverage (wt-e)
        (Fault.DiscoveryRepeatedAnswersAsArray, DiscoveryCoverage.JsonObjectAnswer),
        (Fault.DiscoveryServiceNameEmpty, DiscoveryCoverage.ServiceName),
        (Fault.DiscoveryServiceNameEmpty, DiscoveryCoverage.ServiceNameDraft),
        (Fault.DiscoveryWithoutProModel, DiscoveryCoverage.LiteAndPro),
        (Fault.DiscoveryOidcWithoutBlock, DiscoveryCoverage.OidcBlock),
        (Fault.CreatedUploadUrlPlainHttp, DiscoveryCoverage.EveryUrlSecure),
        (Fault.CreatedSessionIdRepeated, CreateSessionAccepted.IdsNeverRepeated),
        (Fault.CreatedSessionIdRepeated, CreateSessionAccepted.ParallelIdsDistinct),
        (Fault.CreatedWithoutPatientDetails, CreateSessionAccepted.PatientDetailsEchoed),
        (Fault.EndMessageEmpty, EndSessionMessage.NonEmpty),
        (Fault.CreateAcceptsMissingCommunicationProtocol, Refusal("missing-communication-protocol")),
        (Fault.CreateAcceptsUnknownCommunicationProtocol, Refusal("communication-protocol-unknown")),
        (Fault.CreateAcceptsUnknownSessionMode, Refusal("session-mode-unknown")),
        (Fault.CreateRequiresTemplates, Acceptance("no-templates")),
        (Fault.CreateRefusesSeveralLanguageHints, Acceptance("language-hint-supported")),
        (Fault.CreateRefusesAutoDetect, Acceptance("language-hint-auto-detect")),
        (Fault.CreateRefusesTranscriptLanguageString, Acceptance("transcript-language-string")),
        (Fault.CreateRefusesSessionMode, Acceptance("session-mode-consultation")),
        (Fault.CreateRefusesSessionMode, Acceptance("session-mode-dictation")),
        (Fault.CredentialCarriedOverOnConnection, AuthenticationCoverage.PerRequest),
        (Fault.EndRefusesProfileKeyForm, AuthenticationCoverage.BearerEverywhere),
        (Fault.EndRefusesProfileKeyForm, AuthenticationCoverage.ApiKeyHeaderEverywhere),
        (Fault.UploadErrorsAsHtml, UploadCoverage.RefusalsUseEnvelope),
        (Fault.AudioFilesKeepUploadNames, UploadCoverage.StoredAsSequence),
        (Fault.AudioFilesSharedAcrossSessions, UploadCoverage.NoChunkFromAnotherSession),
        (Fault.DiscoveryBaseUrlWithoutSessions, DiscoveryCoverage.SessionEndpointsBelowBaseUrl),
        (Fault.SimultaneousEndsBothAccepted, EndSessionRace.ExactlyOneAccepted),
        (Fault.AudioFilesSortedAsText, UploadNumericOrder.TenAfterNine),
        // Coverage (wt-d)
        (Fault.StatusMissingWhenCompleted, GetSessionValues.StatusPresent),
        (Fault.CompletedAtBeforeCreatedAt, GetSessionValues.CompletedAtInRange),
        (Fault.ModelUsedNotAdvertised, GetSessionValues.ModelUsedAdvertised),
        (Fault.LanguageDetectedAsLocale, GetSessionValues.LanguageDetectedIso6391),
        (Fault.CompletedTranscriptEmpty, GetSessionValues.CompletedTranscriptNotEmpty),
        (Fault.ProcessedExceedsReceived, GetSessionValues.ProcessedNotAboveReceived),
        (Fault.PatientDetailsMissingWhilePending, GetSessionValues.PatientDetailsWhilePending),
        (Fault.ExpiredForgetsUploads, GetSessionValues.ExpiredCountsUploads),
        (Fault.PartialReportedCompleted, GetSessionOutcomes.CompletedMeansAllGenerated),
        (Fault.UnrequestedTemplateInResult, GetSessionOutcomes.OnlyRequestedTemplates),
        (Fault.TemplateDataAsString, GetSessionOutcomes.SuccessDataIsObject),
        (Fault.PartialDropsValidTemplates, GetSessionOutcomes.ValidTemplatesStillProduced),
        (Fault.PartialReportedCompleted, GetSessionOutcomes.UnknownTemplateEndsPartial),
        (Fault.ErrorMessageEmpty, ErrorMessage.NotEmpty),
        (Fault.ExpiredAsErrorEnvelope, ExpiredAnswer.SessionBodyNotEnvelope),
        (Fault.CreateAcceptsNonObjectAdditionalData, Refusal("additional-data-list")),
        (Fault.ChunkTooLargeWith400, ErrorCodeStatus.All.Single(c => c.Requirement.Id == "ERR-07")),
        (Fault.EndedCodesWith409, ErrorCodeStatus.All.Single(c => c.Requirement.Id == "ERR-09")),
        (Fault.ProcessingForgetsUploads, GetSessionValues.PendingAnswersConsistent),
        (Fault.UnknownStatusWhileProcessing, GetSessionValues.Every202NotTerminal),
        (Fault.ExpiredEnvelopeWrongCode, ExpiredAnswer.SessionBodyOrEnvelope),
        (Fault.FailedSessionReportedExpired, ExpiredAnswer.EndedNeverExpired),
        (Fault.PendingTranscriptNull, DraftFields("202")),
        (Fault.CompletedWithoutTranscript, DraftFields("200-completed")),
        (Fault.PartialWithoutProcessingErrors, DraftFields("206")),
        (Fault.ProcessingErrorsWithoutType, GetSessionDraftFields.ProcessingErrorItems),
        (Fault.FailedTemplateErrorAsString, GetSessionDraftFields.FailedTemplateError),
        (Fault.AdditionalDataModelUsed, AdditionalDataIsolation.DecoysStayInside),
        (Fault.NotEndedAs200, GetSessionValues.NotEndedNeverFinished),
    ];

    /// <summary>
    /// For each requirement a check verifies besides the one it reports under (Check.AlsoCites): the defect that breaks
    /// exactly that requirement. The defect must also appear in Rows with that check, so the citation is proven.
    /// </summary>
    public static readonly IReadOnlyList<(string RequirementId, Fault Fault)> AlsoCitedKills =
    [
        ("GET-FLD-02", Fault.PendingWithoutAdditionalData),
        ("GET-FLD-19", Fault.ProcessingErrorsAsStrings),
        ("GET-FLD-21", Fault.ExpiredCarriesTranscript),
        ("TPL-07", Fault.PresignedUrlOverHttp),
        ("EXP-03", Fault.NeverExpires),
        ("ISO-12", Fault.AnswersCrossBetweenSessions),
        ("END-12", Fault.NotEndedAs200),
        ("UPL-20", Fault.EndCountsOneMore),
        ("ADD-04", Fault.AdditionalDataNullsDropped),
        ("CRE-07", Fault.CreatedUploadUrlPlainHttp),
    ];

    /// <summary>Checks the clean reference server cannot pass because it does not offer the feature they test, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotApplicableOnReferenceServer = new Dictionary<string, string>
    {
        [DiscoveryCoverage.OidcBlock.Id] = "the reference server offers api_key only; DiscoveryOidcWithoutBlock proves the check",
        [AuthenticationCoverage.CookiesProtected.Id] = "the reference server sets no cookie; CreateSetsCookieWithoutHttpOnly proves the check",
        [VersionHeader.DeprecatedStillSupported.Id] = "the reference server deprecates no version; DeprecatedVersionDroppedBeforeSunset proves the check",
    };

    /// <summary>Faults that are not a conformance defect a check should catch, and why they exist.</summary>
    public static readonly IReadOnlyDictionary<Fault, string> NotKillers = new Dictionary<Fault, string>
    {
        [Fault.NeverFinishes] = "proves the deadline ends the wait as inconclusive, never as a failure or a hang",
    };

    private static Check Schema(string state) => GetSessionFields.StateSchemas.Single(c => c.Id == $"get-session.fields.{state}");

    private static Check DiscoveryField(string slug) => DiscoveryFields.All.Single(c => c.Id == $"discovery.{slug}");

    private static Check Acceptance(string slug) => CreateSessionAccepted.Accepted.Single(c => c.Id == $"create-session.accepts.{slug}");
    private static Check DraftFields(string state) => GetSessionDraftFields.StateChecks.Single(c => c.Id == $"get-session.draft-fields.{state}");

    private static Check Refusal(string slug) => CreateSessionRefusals.All.Single(c => c.Id == $"create-session.refuses.{slug}");

    /// <summary>The reference-server profile a check is proven in: its own, or ekascribe for a check of both.</summary>
    public static ServerProfile ProfileOf(Check check) => TestServers.ServerProfileFor(check.Profile ?? ProtocolProfile.Ekascribe);
}

[TestFixture]
public class KillMatrixTests
{
    private static IEnumerable<TestCaseData> Kills => KillMatrix.Rows.Select(r =>
        new TestCaseData(r.Fault, r.Check).SetName($"{r.Check.Id} fails against {r.Fault} ({KillMatrix.ProfileOf(r.Check)})"));

    /// <summary>One server and one set of scenarios per fault, profile and session lifetime, shared by those rows.</summary>
    private static readonly ConcurrentDictionary<(Fault, ServerProfile, TimeSpan), Lazy<Task<(RunningReferenceServer Server, ScenarioSet Scenarios)>>> Servers = new();

    /// <summary>What each row gave, for the kill-matrix report.</summary>
    private static readonly ConcurrentBag<(Fault Fault, Check Check, Verdict Verdict)> Outcomes = [];

    [OneTimeTearDown]
    public async Task StopServers()
    {
        WriteReport();
        foreach (var started in Servers.Values)
        {
            var (server, scenarios) = await started.Value;
            await scenarios.StopAsync(TimeSpan.FromSeconds(10));
            scenarios.Target.Dispose();
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// Sessions that live an hour keep a loaded machine from expiring a session mid-scenario (and skip the wait for
    /// expiry); only a check that did not fail is tried again against 2-second sessions, for defects that show after expiry.
    /// </summary>
    [TestCaseSource(nameof(Kills))]
    public async Task CheckFailsAgainstItsDefect(Fault fault, Check check)
    {
        var result = await EvaluateAsync(fault, check, TestServers.LongLifetime);
        if (result.Verdict != Verdict.Failed) result = await EvaluateAsync(fault, check, TestServers.ShortLifetime);
        Outcomes.Add((fault, check, result.Verdict));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed), $"{check.Id} against {fault}: {result.Message}");
        Assert.That(result.Evidence, Is.Not.Empty, "a failure must show the exchange that proves it");
    }

    private static async Task<CheckResult> EvaluateAsync(Fault fault, Check check, TimeSpan sessionLifetime)
    {
        var key = (fault, KillMatrix.ProfileOf(check), sessionLifetime);
        var (_, scenarios) = await Servers.GetOrAdd(key, k => new(() => TestServers.ScenariosAsync(k.Item2, k.Item3, faults: k.Item1))).Value;
        return await scenarios.EvaluateAsync(check);
    }

    /// <summary>
    /// reports/self-test/kill-matrix.md: each check against the defects meant to break it, and the mutation score
    /// (defects caught by at least one check, of all defects that are conformance defects).
    /// </summary>
    private static void WriteReport()
    {
        if (Outcomes.IsEmpty) return;
        var dir = Path.Combine(CommandLineTests.RepoRoot, "reports", "self-test");
        Directory.CreateDirectory(dir);
        var killers = Enum.GetValues<Fault>().Where(f => !KillMatrix.NotKillers.ContainsKey(f)).ToList();
        var caught = killers.Count(f => Outcomes.Any(o => o.Fault == f && o.Verdict == Verdict.Failed));
        var checksCaught = Catalogue.All.Count(c => Outcomes.Any(o => o.Check.Id == c.Id && o.Verdict == Verdict.Failed));
        var lines = new List<string>
        {
            "# Kill matrix",
            "",
            $"Mutation score: {caught} of {killers.Count} defects caught ({100.0 * caught / killers.Count:0.#} %); "
                + $"{checksCaught} of {Catalogue.All.Count} checks fail against at least one defect.",
            "",
            "| check | requirement | defect | verdict against the defect |",
            "| --- | --- | --- | --- |",
        };
        lines.AddRange(Outcomes.OrderBy(o => o.Check.Id).ThenBy(o => o.Fault.ToString())
            .Select(o => $"| {o.Check.Id} | {o.Check.Requirement.Id} | {o.Fault} | {(o.Verdict == Verdict.Failed ? "caught (failed)" : "MISSED: " + o.Verdict)} |"));
        File.WriteAllLines(Path.Combine(dir, "kill-matrix.md"), lines);
        TestContext.Progress.WriteLine(lines[2]);
    }

    [Test]
    public void EveryCheckIsKilledByAtLeastOneDefect()
    {
        var killed = KillMatrix.Rows.Select(r => r.Check.Id).ToHashSet();
        Assert.That(Catalogue.All.Select(c => c.Id).Where(id => !killed.Contains(id)), Is.Empty, "checks no defect can make fail");
    }

    [Test]
    public void EveryAlsoCitedRequirementIsProvenByItsOwnDefect()
    {
        var unproven = Catalogue.All.SelectMany(c => c.AlsoCites.Select(id => (Check: c, Id: id)))
            .Where(p => !KillMatrix.AlsoCitedKills.Any(k => k.RequirementId == p.Id && KillMatrix.Rows.Contains((k.Fault, p.Check))))
            .Select(p => $"{p.Check.Id} also cites {p.Id}");
        Assert.That(unproven, Is.Empty, "a check that also cites a requirement needs a defect breaking that requirement, in Rows with the check");
    }

    [Test]
    public void EveryDefectIsUsed()
    {
        var used = KillMatrix.Rows.Select(r => r.Fault).Concat(KillMatrix.NotKillers.Keys).ToHashSet();
        Assert.That(Enum.GetValues<Fault>().Where(f => !used.Contains(f)), Is.Empty, "fault switches no test uses");
    }
}

/// <summary>
/// The clean reference server passes every check of its profile (one shared run of every scenario per profile); a
/// check of the other profile is not applicable and says so.
/// </summary>
[TestFixture(ServerProfile.Ekascribe)]
[TestFixture(ServerProfile.MsaDraft)]
public class CleanServerTests(ServerProfile profile)
{
    /// <summary>Short, since every check must pass and 410 must be seen; with headroom for a loaded machine to reach End first.</summary>
    private static readonly TimeSpan CleanRunLifetime = TimeSpan.FromSeconds(4);

    private RunningReferenceServer? _server;
    private ScenarioSet? _scenarios;

    [OneTimeSetUp]
    public async Task Start()
    {
        (_server, _scenarios) = await TestServers.ScenariosAsync(profile, CleanRunLifetime);
        _scenarios.StartAll();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _scenarios?.Target.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }

    private static IEnumerable<TestCaseData> Checks => Catalogue.All.Select(c => new TestCaseData(c).SetName($"{c.Id} passes against the clean server"));

    [TestCaseSource(nameof(Checks))]
    public async Task CheckPasses(Check check)
    {
        var result = await _scenarios!.EvaluateAsync(check);
        if (!check.AppliesTo(TestServers.HarnessProfile(profile)))
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.NotApplicable), result.Message);
            Assert.That(result.Message, Does.StartWith("applies to profile"));
            return;
        }
        var expected = KillMatrix.NotApplicableOnReferenceServer.ContainsKey(check.Id) ? Verdict.NotApplicable : Verdict.Passed;
        Assert.That(result.Verdict, Is.EqualTo(expected), result.Message);
    }
}

/// <summary>Verdicts are honest: what the harness could not observe is never reported as a failure.</summary>
[TestFixture]
public class HonestVerdictTests
{
    [Test]
    public async Task ProcessingPastTheDeadlineIsInconclusiveNotFailed()
    {
        var (server, scenarios) = await TestServers.ScenariosAsync(ServerProfile.Ekascribe, TestServers.LongLifetime, deadlineSeconds: 2, Fault.NeverFinishes);
        await using var _ = server;
        using var __ = scenarios.Target;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await scenarios.EvaluateAsync(GetSessionPairing.CompletedIs200);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive), result.Message);
            Assert.That(result.Message, Does.Contain("deadline"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "the deadline must end the wait");
        });
    }

    [Test]
    public async Task ExpiryBeyondTheWaitBudgetIsInconclusiveWithTheTimeItWouldNeed()
    {
        await using var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Token = "t-" + Guid.NewGuid().ToString("N"), ProcessingTime = TimeSpan.FromMilliseconds(300), SessionLifetime = TimeSpan.FromHours(1),
        });
        using var target = await Target.ConnectAsync(TestServers.OptionsFor(server, deadlineSeconds: 5));
        var result = await new ScenarioSet(target).EvaluateAsync(GetSessionPairing.ExpiredIs410);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
            Assert.That(result.Message, Does.Contain("beyond the wait budget"));
        });
    }
}
