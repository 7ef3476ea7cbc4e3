using System.Collections.Concurrent;
using Msa.Conformance.Checks;
using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Checks.Webhooks;
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
        (Fault.NoCredentialAccepted, GetSessionAuth.RejectsMissingCredential),
        (Fault.UnauthorizedWithoutEnvelope, GetSessionAuth.UnauthorizedHasEnvelope),
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

    /// <summary>One server and one set of scenarios per fault, shared by that fault's rows (as the clean server's are).</summary>
    private static readonly ConcurrentDictionary<Fault, Lazy<Task<(RunningReferenceServer Server, ScenarioSet Scenarios)>>> Servers = new();

    [OneTimeTearDown]
    public async Task StopServers()
    {
        foreach (var started in Servers.Values)
        {
            var (server, scenarios) = await started.Value;
            await scenarios.StopAsync(TimeSpan.FromSeconds(10));
            scenarios.Target.Dispose();
            await server.DisposeAsync();
        }
    }

    [TestCaseSource(nameof(Kills))]
    public async Task CheckFailsAgainstItsDefect(Fault fault, Check check)
    {
        var (_, scenarios) = await Servers.GetOrAdd(fault, f => new(() => TestServers.ScenariosAsync(faults: f))).Value;
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
