using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Reporting;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Cli;

/// <summary>
/// ./run.sh --rejudge DIR: every verdict computed again, offline, from DIR/observations.json, by this harness's checks.
/// The result goes to --report-dir (default DIR-rejudged), never into DIR, whose evidence stays as it was signed.
/// </summary>
public static class Rejudge
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? After(string name) => Flags.ValueOf(args, name);
        var dir = After("--rejudge");
        if (dir is null || !Directory.Exists(dir)) return Runner.Fail($"--rejudge needs a report directory (got '{dir}').");
        dir = Path.GetFullPath(dir);
        var reportDir = Path.GetFullPath(After("--report-dir") ?? dir.TrimEnd(Path.DirectorySeparatorChar) + "-rejudged");
        if (reportDir.TrimEnd(Path.DirectorySeparatorChar) == dir.TrimEnd(Path.DirectorySeparatorChar))
            return Runner.Fail("--report-dir must differ from the directory being re-judged: that evidence stays as it was.");

        ObservationFile.Bundle bundle;
        ECDsa? signingKey;
        try
        {
            bundle = ObservationFile.Read(dir);
            signingKey = Runner.LoadSigningKey(After("--sign-key") ?? "");
        }
        catch (ObservationFileError e) { return Runner.Fail($"Cannot re-judge: {e.Message}"); }
        catch (ConfigurationError e) { return Runner.Fail($"Configuration error: {e.Message} (see ./run.sh --help)"); }

        var options = bundle.Options;
        options.Strict |= args.Contains("--strict");
        options.ReportDir = reportDir;
        var original = OriginalSummary(dir);
        var observer = new Summary.Observer((string?)original?["harness_version"] ?? bundle.ObservedBy, (string?)original?["harness_commit"], bundle.ObservedAt);
        Console.WriteLine($"MSA Conformance {Paths.Version} — re-judging {dir} offline (no request is sent): observed by harness {observer.HarnessVersion}"
            + $" at {observer.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, target {options.Target}, profile {options.Profile}");

        var started = DateTimeOffset.UtcNow;
        ReportFiles.Prepare(reportDir, options);
        var allure = new AllureWriter(Path.Combine(reportDir, "allure-results"), options.FullEvidence, options.ProtocolProfile);
        var records = new List<CheckRecord>();
        foreach (var check in Catalogue.All)
        {
            var start = DateTimeOffset.UtcNow;
            var observations = ScenarioSet.ObservationsFor(check, bundle.Runs, options, bundle.Discovery);
            var result = ScenarioSet.Evaluate(check, observations);
            records.Add(RunFiles.RecordCheck(Path.Combine(reportDir, "checks"), allure, check, result,
                check.Scenario == Scenario.All ? observations.All : [observations.Run], start, options.ProtocolProfile));
        }
        RunFiles.Write(reportDir, bundle.Runs, bundle.Discovery, bundle.DiscoveryUrl, options, Paths.Version);
        File.Copy(Path.Combine(dir, ObservationFile.FileName), Path.Combine(reportDir, ObservationFile.FileName), overwrite: true);

        // What only the observing run's preflight knew (API base, clock offset, notes) is taken from its summary.json.
        var preflight = new PreflightResult((string?)original?["api_base_url"] ?? options.BaseUrl, (double?)original?["clock_offset_seconds"], "",
            original?["notes"] is JsonArray notes ? [.. notes.Select(n => (string)n!)] : []);
        var embedded = (bool?)original?["embedded_reference_server"] ?? false;
        return await Runner.ReportAsync(reportDir, options, signingKey, () => Summary.Write(reportDir, options, started, DateTimeOffset.UtcNow, embedded,
            preflight, [records.OrderBy(r => r.Id).ToList()], observer, dir));
    }

    private static JsonObject? OriginalSummary(string dir)
    {
        try { return JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))) as JsonObject; }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException) { return null; }
    }
}
