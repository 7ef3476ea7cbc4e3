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

    /// <summary>The check's record for summary.json, in checks/{id}.json.</summary>
    public static void WriteCheckRecord(string checksDir, CheckRecord record) =>
        File.WriteAllText(Path.Combine(checksDir, record.Id + ".json"), System.Text.Json.JsonSerializer.Serialize(record, CheckRecord.Json));
}
