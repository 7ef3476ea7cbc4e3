using System.Runtime.InteropServices;
using System.Text.Json;
using Msa.Conformance;
using Msa.Conformance.Checks;
using Msa.Conformance.Reporting;
using Msa.Conformance.Scenarios;

[assembly: Parallelizable(ParallelScope.Children)]
[assembly: LevelOfParallelism(8)]

namespace Msa.Conformance.Suites;

/// <summary>
/// Once per test run: read the settings (MSA_ environment variables, appsettings.json), find the target through
/// discovery, and start every scenario at once. The checks then only wait for the scenario they read.
/// </summary>
[SetUpFixture]
public sealed class ConformanceRun
{
    private static ScenarioSet? _scenarios;
    private static string? _unusable;

    public static HarnessOptions Options { get; private set; } = new();
    public static AllureWriter? Allure { get; private set; }
    public static string ChecksDirectory { get; private set; } = "";
    private static string _reportDir = "";

    [OneTimeSetUp]
    public async Task StartScenarios()
    {
        try
        {
            Options = HarnessOptions.Load([], TestContext.CurrentContext.TestDirectory);
            var reportDir = _reportDir = Path.GetFullPath(Options.ReportDir.Length > 0 ? Options.ReportDir : "reports");
            ChecksDirectory = Path.Combine(reportDir, "checks");
            Directory.CreateDirectory(ChecksDirectory);
            Allure = new AllureWriter(Path.Combine(reportDir, "allure-results"), Options.FullEvidence, Options.ProtocolProfile);
            var target = await Target.ConnectAsync(Options);
            var progress = new ProgressLog(Path.Combine(reportDir, "progress.log"));
            _scenarios = new ScenarioSet(target, progress.Write);
            _scenarios.StartAll();
            // Ctrl+C or SIGTERM: let the scenarios remove what they registered on the server before the process ends.
            Signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal =>
                PosixSignalRegistration.Create(signal, _ => _scenarios.StopAsync(CleanupGrace).GetAwaiter().GetResult()))];
        }
        catch (Exception e) when (e is ConfigurationError or TargetUnusable)
        {
            _unusable = e.Message;
            TestContext.Progress.WriteLine($"The harness cannot run: {e.Message}");
        }
    }

    /// <summary>Writes polling.json, capabilities.json (declared in discovery vs observed), evidence.har and observations.json, then lets the target go.</summary>
    [OneTimeTearDown]
    public async Task Stop()
    {
        if (_scenarios is null) return;
        var target = _scenarios.Target;
        var runs = await Task.WhenAll(ScenarioSet.Sequences.Select(_scenarios.Get));
        var version = typeof(HarWriter).Assembly.GetName().Version?.ToString(3) ?? "0";
        RunFiles.Write(_reportDir, runs, target.Discovery, target.DiscoveryUrl, target.Options, version);
        File.WriteAllText(Path.Combine(_reportDir, ObservationFile.FileName), ObservationFile.ToJson(runs, target.Discovery, target.DiscoveryUrl, target.Options, version));
        await _scenarios.StopAsync(CleanupGrace);
        target.Dispose();
        foreach (var signal in Signals) signal.Dispose();
    }

    private static readonly TimeSpan CleanupGrace = TimeSpan.FromSeconds(20);
    private static PosixSignalRegistration[] Signals = [];

    /// <summary>Runs one check, records it for summary.json and Allure, and turns the verdict into an NUnit outcome.</summary>
    public static async Task RunAsync(Check check)
    {
        if (_scenarios is null)
            Assert.Inconclusive($"Not run: {_unusable ?? "the target was not set up"}");
        var start = DateTimeOffset.UtcNow;
        var result = await _scenarios!.EvaluateAsync(check);
        var runs = check.Scenario == Scenario.All
            ? await Task.WhenAll(ScenarioSet.ReadByAll.Select(_scenarios.Get))
            : [await _scenarios.Get(check.Scenario)];
        RunFiles.RecordCheck(ChecksDirectory, Allure, check, result, runs, start, _scenarios.Target.Options.ProtocolProfile);

        var text = $"{check.Requirement.Id} ({CheckRecord.LevelName(check.Requirement.Level)}, {check.Requirement.Source})\n{Http.Redactor.Scrub(result.Message)}";
        var outcome = Outcomes.Of(check, result);
        text = outcome.MessagePrefix(check.Requirement.Level) + text;
        switch (outcome)
        {
            case Outcome.Passed: Assert.Pass(text); break;
            case Outcome.Failed: Assert.Fail(text); break;
            case Outcome.Warning: Assert.Warn(text); break;
            case Outcome.Inconclusive: Assert.Inconclusive(text); break;
            case Outcome.NotApplicable: Assert.Ignore(text); break;
            default: throw new InvalidOperationException(text);
        }
    }

    /// <summary>NUnit cases for a list of checks, named "REQ-ID · sentence" so the test tree reads like the catalogue.</summary>
    public static IEnumerable<TestCaseData> Cases(IEnumerable<Check> checks) =>
        checks.Select(c => new TestCaseData(c).SetName($"{c.Requirement.Id} · {c.Title}").SetCategory(CheckRecord.LevelName(c.Requirement.Level)));
}
