using System.Collections.Concurrent;
using Msa.Conformance.Checks;
using Msa.Conformance.Checks.Auth;
using Msa.Conformance.Checks.Discovery;
using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Checks.Versioning;
using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>
/// The fault table (Faults.cs: each fault's description, the catalogue rows it breaks, its profiles) read as the two
/// proofs every check owes: it can fail (kill matrix: against a fault breaking its row, some check of that row fails)
/// and it fails only for its own row (precision matrix: against a fault, no check citing another row fails or warns).
/// </summary>
public static class KillMatrix
{
    public static IReadOnlyList<string> RowsOf(Fault fault) => FaultCatalog.Of(fault).Breaks;

    public static bool IsDefect(Fault fault) => RowsOf(fault).Count > 0;

    /// <summary>Where a fault is run: its declared profiles, else those of its rows (a row of both: the ekascribe server).</summary>
    public static IReadOnlyList<ServerProfile> ProfilesOf(Fault fault)
    {
        if (FaultCatalog.Of(fault).Profiles is { Length: > 0 } declared) return declared;
        var profiles = RowsOf(fault).Select(id => new Requirement(id).RowProfile).OfType<ProtocolProfile>().Distinct()
            .Select(TestServers.ServerProfileFor).ToList();
        return profiles.Count > 0 ? profiles : [ServerProfile.Ekascribe];
    }

    /// <summary>True when the check, run in this profile, speaks for one of these rows (as its own or as an also-cited one).</summary>
    public static bool Cites(Check check, IEnumerable<string> rows, ServerProfile profile)
    {
        var harness = TestServers.HarnessProfile(profile);
        return check.AppliesTo(harness) && rows.Intersect([check.Requirement.Id, .. check.AlsoCitesIn(harness)]).Any();
    }

    /// <summary>The checks a fault must make fail, in one profile: those citing its rows.</summary>
    public static IReadOnlyList<Check> Targets(Fault fault, ServerProfile profile) =>
        Catalogue.All.Where(c => Cites(c, RowsOf(fault), profile)).ToList();

    /// <summary>Every (fault, profile) the matrices run.</summary>
    public static IEnumerable<(Fault Fault, ServerProfile Profile)> Runs =>
        FaultCatalog.All.Where(IsDefect).SelectMany(f => ProfilesOf(f).Select(p => (f, p)));

    /// <summary>
    /// Faults whose precision is judged when MSA_PRECISION=sample asks for a quick run; by default every fault's is (the
    /// full matrix takes under a minute). The sample is fixed: the shapes seen on real servers, and one fault of each area's most shared rules.
    /// </summary>
    public static readonly IReadOnlySet<Fault> PrecisionSample = new HashSet<Fault>
    {
        Fault.ErrorCodesUpperCase, Fault.TimestampsWithoutOffset, Fault.FailedAs500, Fault.UnknownSessionWithoutEnvelope,
        Fault.TemplatesAsMap, Fault.CreateInvalidJsonAs500, Fault.UploadErrorsWithoutEnvelope, Fault.NoCredentialAccepted,
        Fault.ExpiredAs404, Fault.DiscoveryTextPlain, Fault.WebhookNoTerminalEvent, Fault.EndAnswers200,
    };

    public static bool FullPrecision => Environment.GetEnvironmentVariable("MSA_PRECISION") != "sample";

    public static bool JudgesPrecision(Fault fault) => FullPrecision || PrecisionSample.Contains(fault);

    /// <summary>Checks the clean reference server cannot pass because it does not offer the feature they test, and why.</summary>
    private const string HttpsReceiverOnly = "the clean runs' webhook receiver is plain http; WebhookScenarioTests.AnHttpsReceiverJudgesPlainHttpRegistrationAndDelivery runs it over https";

    public static readonly IReadOnlyDictionary<string, string> NotApplicableOnReferenceServer = new Dictionary<string, string>(
        Msa.Conformance.Checks.Transport.TlsChecks.All.Select(c => KeyValuePair.Create(c.Id,
            "the clean runs serve plain http on loopback; TransportTests run these checks over https")))
    {
        [DiscoveryCoverage.OidcBlock.Id] = "the reference server offers api_key only; DiscoveryOidcWithoutBlock proves the check",
        [AuthenticationCoverage.CookiesProtected.Id] = "the reference server sets no cookie; CreateSetsCookieWithoutHttpOnly proves the check",
        [Msa.Conformance.Checks.Upload.UploadAccepted.PresignedPutAccepted.Id] = "the clean runs upload to the API's own endpoint; VariationTests' PresignedUploads runs prove the check passes",
        [Msa.Conformance.Checks.Webhooks.WebhookManagement.PlainHttpRefused.Id] = HttpsReceiverOnly,
        [Msa.Conformance.Checks.Webhooks.WebhookDelivery.HttpsOnly.Id] = HttpsReceiverOnly,
        [VersionHeader.DeprecatedStillSupported.Id] = "the reference server deprecates no version; DeprecatedVersionDroppedBeforeSunset proves the check",
    };

    /// <summary>The reference-server profile a check is proven in: its own, or ekascribe for a check of both.</summary>
    public static ServerProfile ProfileOf(Check check) => TestServers.ServerProfileFor(check.Profile ?? ProtocolProfile.Ekascribe);
}

[TestFixture]
public class KillMatrixTests
{
    /// <summary>What each check gave against one fault in one profile.</summary>
    public sealed record FaultRun(Fault Fault, ServerProfile Profile, IReadOnlyDictionary<string, CheckResult> Results, bool Full)
    {
        /// <summary>Checks of rows the fault does not declare that failed or warned (a row it may also move, declared so, excepted).</summary>
        public IEnumerable<string> Collateral => Results.Where(x => x.Value.Verdict == Verdict.Failed && !KillMatrix.Targets(Fault, Profile).Any(c => c.Id == x.Key)
            && !FaultCatalog.Of(Fault).MayAlsoMove.Contains(Catalogue.ById(x.Key).Requirement.Id)).Select(x => x.Key);
    }

    private static readonly ConcurrentDictionary<(Fault, ServerProfile), Lazy<Task<FaultRun>>> Runs = new();

    private static IEnumerable<TestCaseData> FaultRuns => KillMatrix.Runs.Select(r =>
        new TestCaseData(r.Fault, r.Profile).SetName($"{r.Fault} ({r.Profile}) breaks {string.Join(", ", KillMatrix.RowsOf(r.Fault))} and nothing else"));

    private static Task<FaultRun> RunOf(Fault fault, ServerProfile profile) =>
        Runs.GetOrAdd((fault, profile), k => new(() => Task.Run(() => RunAsync(k.Item1, k.Item2)))).Value;

    /// <summary>
    /// Sessions that live an hour keep a loaded machine from expiring a session mid-scenario; a target check that did
    /// not fail is tried again against 2-second sessions, for defects that show only after expiry. Precision is judged
    /// on the hour-long run alone, where nothing expires by accident.
    /// </summary>
    private static async Task<FaultRun> RunAsync(Fault fault, ServerProfile profile)
    {
        var full = KillMatrix.JudgesPrecision(fault);
        var targets = KillMatrix.Targets(fault, profile);
        var results = await EvaluateAsync(fault, profile, TestServers.LongLifetime, full ? Catalogue.All : targets);
        var missed = targets.Where(c => results[c.Id].Verdict != Verdict.Failed).ToList();
        if (missed.Count > 0)
            foreach (var (id, result) in await EvaluateAsync(fault, profile, TestServers.ShortLifetime, missed))
                if (result.Verdict == Verdict.Failed) results[id] = result;
        return new FaultRun(fault, profile, results, full);
    }

    private static async Task<Dictionary<string, CheckResult>> EvaluateAsync(Fault fault, ServerProfile profile, TimeSpan lifetime, IReadOnlyList<Check> checks)
    {
        await CheckRuns.Slots.WaitAsync();
        try
        {
            var (server, scenarios) = await TestServers.ScenariosAsync(profile, lifetime, faults: fault);
            try
            {
                var results = await Task.WhenAll(checks.Select(async c => (c.Id, Result: await scenarios.EvaluateAsync(c))));
                return results.ToDictionary(r => r.Id, r => r.Result);
            }
            finally
            {
                await scenarios.StopAsync(TimeSpan.FromSeconds(10));
                scenarios.Target.Dispose();
                await server.DisposeAsync();
            }
        }
        finally { CheckRuns.Slots.Release(); }
    }

    /// <summary>
    /// Against its fault, each declared row that has a check in this profile sees one of them fail, with the proving
    /// exchange; and (for the faults whose precision is judged) no check citing another row fails or warns.
    /// </summary>
    [TestCaseSource(nameof(FaultRuns))]
    public async Task FaultMovesItsOwnRowsAndNoOther(Fault fault, ServerProfile profile)
    {
        var run = await RunOf(fault, profile);
        var rows = KillMatrix.RowsOf(fault);
        var targets = KillMatrix.Targets(fault, profile);
        var uncaught = rows.Where(id => targets.Any(c => KillMatrix.Cites(c, [id], profile))
                && !targets.Any(c => KillMatrix.Cites(c, [id], profile) && run.Results[c.Id].Verdict == Verdict.Failed))
            .Select(id => $"{id}: " + string.Join("; ", targets.Where(c => KillMatrix.Cites(c, [id], profile)).Select(c => $"{c.Id} {run.Results[c.Id].Verdict}: {run.Results[c.Id].Message}")));
        var unproven = targets.Where(c => run.Results[c.Id] is { Verdict: Verdict.Failed, Evidence.Count: 0 }).Select(c => c.Id);
        var collateral = run.Collateral.Select(id => $"{id} ({Catalogue.ById(id).Requirement.Id}): {run.Results[id].Message}");
        Assert.Multiple(() =>
        {
            Assert.That(uncaught, Is.Empty, $"rows {fault} breaks that no check caught");
            Assert.That(unproven, Is.Empty, "a failure must show the exchange that proves it");
            Assert.That(collateral, Is.Empty, $"checks of rows {fault} does not break that failed or warned against it");
        });
    }

    /// <summary>Every check can fail: some fault breaking its row makes it fail, and every row it also cites likewise.</summary>
    [Test]
    public async Task EveryCheckAndEveryAlsoCitedRowIsKilledByAFault()
    {
        var runs = await Task.WhenAll(KillMatrix.Runs.Select(r => RunOf(r.Fault, r.Profile)));
        bool Killed(Check c, string row) => runs.Any(r => KillMatrix.RowsOf(r.Fault).Contains(row) && KillMatrix.Cites(c, [row], r.Profile)
            && r.Results.TryGetValue(c.Id, out var result) && result.Verdict == Verdict.Failed);
        var unkilled = Catalogue.All.SelectMany(c => c.RequirementIds.Select(row => (c, row))).Where(p => !Killed(p.c, p.row))
            .Select(p => $"{p.c.Id} ({p.row})");
        WriteReports(runs);
        Assert.That(unkilled, Is.Empty, "checks (and rows they also cite) that no fault breaking that row makes fail");
    }

    [Test]
    public void EveryFaultIsADefectWithRowsOrSaysWhyNot()
    {
        var problems = FaultCatalog.All.Where(f => !KillMatrix.IsDefect(f) && string.IsNullOrWhiteSpace(FaultCatalog.Of(f).Purpose)).Select(f => $"{f}: no rows and no purpose")
            .Concat(FaultCatalog.All.SelectMany(f => KillMatrix.RowsOf(f).Where(id => RequirementCatalogue.Find(id) is null).Select(id => $"{f}: unknown row {id}")));
        Assert.That(problems, Is.Empty);
    }

    private static string OrNone(IEnumerable<string> ids, string none) => string.Join(", ", ids) is { Length: > 0 } s ? s : none;

    /// <summary>reports/self-test/kill-matrix.md and precision-matrix.md, with the mutation score and the precision figure.</summary>
    private static void WriteReports(FaultRun[] runs)
    {
        var dir = Path.Combine(CommandLineTests.RepoRoot, "reports", "self-test");
        Directory.CreateDirectory(dir);
        var faults = runs.Select(r => r.Fault).Distinct().ToList();
        bool Caught(FaultRun r) => KillMatrix.Targets(r.Fault, r.Profile).Any(c => r.Results[c.Id].Verdict == Verdict.Failed);
        var caught = faults.Count(f => runs.Where(r => r.Fault == f).All(Caught));
        var kill = new List<string>
        {
            "# Kill matrix", "",
            $"Mutation score: {caught} of {faults.Count} faults caught ({100.0 * caught / faults.Count:0.#} %) in every profile they run in; "
                + $"{Catalogue.All.Count} checks.", "",
            "| fault | profile | rows it breaks | checks of those rows that failed |", "| --- | --- | --- | --- |",
        };
        kill.AddRange(runs.OrderBy(r => r.Fault.ToString()).Select(r => $"| {r.Fault} | {r.Profile} | {string.Join(", ", KillMatrix.RowsOf(r.Fault))} | "
            + OrNone(KillMatrix.Targets(r.Fault, r.Profile).Where(c => r.Results[c.Id].Verdict == Verdict.Failed).Select(c => c.Id), "NONE") + " |"));
        File.WriteAllLines(Path.Combine(dir, "kill-matrix.md"), kill);

        var judged = runs.Where(r => r.Full).ToList();
        var precise = judged.Count(r => !r.Collateral.Any());
        var precision = new List<string>
        {
            "# Precision matrix", "",
            $"Precision: {precise} of {judged.Count} fault runs move only their own rows ({(judged.Count == 0 ? 0 : 100.0 * precise / judged.Count):0.#} %); "
                + (KillMatrix.FullPrecision ? "full matrix." : $"the fixed sample of {KillMatrix.PrecisionSample.Count} faults (MSA_PRECISION=sample)."), "",
            "| fault | profile | rows it breaks | checks that failed or warned | of other rows |", "| --- | --- | --- | --- | --- |",
        };
        precision.AddRange(judged.OrderBy(r => r.Fault.ToString()).Select(r => $"| {r.Fault} | {r.Profile} | {string.Join(", ", KillMatrix.RowsOf(r.Fault))} | "
            + $"{string.Join(", ", r.Results.Where(x => x.Value.Verdict == Verdict.Failed).Select(x => x.Key))} | {OrNone(r.Collateral, "none")} |"));
        File.WriteAllLines(Path.Combine(dir, "precision-matrix.md"), precision);
        TestContext.Progress.WriteLine(kill[2] + " " + precision[2]);
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
