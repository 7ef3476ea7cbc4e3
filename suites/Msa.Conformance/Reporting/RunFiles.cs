using System.Text.Json.Nodes;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Reporting;

/// <summary>
/// The report files made from the runs alone (polling.json, capabilities.json, evidence.har): written by a live run
/// and again, from observations.json, by a re-judge.
/// </summary>
public static class RunFiles
{
    public static void Write(string reportDir, IReadOnlyList<ScenarioRun> runs, JsonObject discovery, string discoveryUrl, HarnessOptions options, string harnessVersion)
    {
        File.WriteAllText(Path.Combine(reportDir, "polling.json"), PollingRecord.ToJson(runs, options.Polling.IntervalMs));
        CapabilityTable.Write(Path.Combine(reportDir, "capabilities.json"), discoveryUrl, options, CapabilityTable.Build(discovery, runs));
        File.WriteAllText(Path.Combine(reportDir, "evidence.har"), HarWriter.ToJson(runs, options.FullEvidence, harnessVersion));
    }

    /// <summary>A check's result as the reports keep it: its Allure result (when Allure is written) and its record for summary.json, checks/{id}.json.</summary>
    public static CheckRecord RecordCheck(string checksDir, AllureWriter? allure, Checks.Check check, Checks.CheckResult result,
        IReadOnlyList<ScenarioRun> runs, DateTimeOffset start, ProtocolProfile profile)
    {
        var record = CheckRecord.From(check, result, profile) with { AllureResultId = allure?.Write(check, result, runs, start, DateTimeOffset.UtcNow) };
        File.WriteAllText(Path.Combine(checksDir, record.Id + ".json"), System.Text.Json.JsonSerializer.Serialize(record, CheckRecord.Json));
        return record;
    }
}
