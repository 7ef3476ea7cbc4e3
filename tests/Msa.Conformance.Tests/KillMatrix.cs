using Msa.Conformance.Checks;
using Msa.Conformance.Checks.AdditionalData;
using Msa.Conformance.Checks.Auth;
using Msa.Conformance.Checks.EndSession;
using Msa.Conformance.Checks.Errors;
using Msa.Conformance.Checks.Expiry;
using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Checks.Upload;
using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>
/// Every check can fail: for each check there is a reference-server defect that it must catch, and against the
/// clean reference server it must pass. This table is the proof's data; the tests below run it.
/// </summary>
public static class KillMatrix
{
    public static readonly IReadOnlyList<(Fault Fault, Check Check)> Rows =
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
    ];

    /// <summary>Faults that are not a conformance defect a check should catch, and why they exist.</summary>
    public static readonly IReadOnlyDictionary<Fault, string> NotKillers = new Dictionary<Fault, string>
    {
        [Fault.NeverFinishes] = "proves the deadline ends the wait as inconclusive, never as a failure or a hang",
    };

    private static Check Schema(string state) => GetSessionFields.StateSchemas.Single(c => c.Id == $"get-session.fields.{state}");
}

[TestFixture]
public class KillMatrixTests
{
    private static IEnumerable<TestCaseData> Kills => KillMatrix.Rows.Select(r =>
        new TestCaseData(r.Fault, r.Check).SetName($"{r.Check.Id} fails against {r.Fault}"));

    [TestCaseSource(nameof(Kills))]
    public async Task CheckFailsAgainstItsDefect(Fault fault, Check check)
    {
        var (server, scenarios) = await TestServers.ScenariosAsync(faults: fault);
        await using var _ = server;
        using var __ = scenarios.Target;
        var result = await scenarios.EvaluateAsync(check);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed), $"{check.Id} against {fault}: {result.Message}");
        Assert.That(result.Evidence, Is.Not.Empty, "a failure must show the exchange that proves it");
    }

    [Test]
    public void EveryCheckIsKilledByAtLeastOneDefect()
    {
        var killed = KillMatrix.Rows.Select(r => r.Check.Id).ToHashSet();
        Assert.That(Catalogue.All.Select(c => c.Id).Where(id => !killed.Contains(id)), Is.Empty, "checks no defect can make fail");
    }

    [Test]
    public void EveryDefectIsUsed()
    {
        var used = KillMatrix.Rows.Select(r => r.Fault).Concat(KillMatrix.NotKillers.Keys).ToHashSet();
        Assert.That(Enum.GetValues<Fault>().Where(f => !used.Contains(f)), Is.Empty, "fault switches no test uses");
    }
}

/// <summary>The clean reference server passes every check: one shared run of every scenario.</summary>
[TestFixture]
public class CleanServerTests
{
    private RunningReferenceServer? _server;
    private ScenarioSet? _scenarios;

    [OneTimeSetUp]
    public async Task Start()
    {
        (_server, _scenarios) = await TestServers.ScenariosAsync();
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
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Passed), result.Message);
    }
}

/// <summary>Verdicts are honest: what the harness could not observe is never reported as a failure.</summary>
[TestFixture]
public class HonestVerdictTests
{
    [Test]
    public async Task ProcessingPastTheDeadlineIsInconclusiveNotFailed()
    {
        var (server, scenarios) = await TestServers.ScenariosAsync(deadlineSeconds: 2, Fault.NeverFinishes);
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
