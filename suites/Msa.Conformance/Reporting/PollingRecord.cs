using System.Text.Json;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Reporting;

/// <summary>polling.json: every poll of every scenario with its start time, for the benchmark's cadence and rate figures.</summary>
public static class PollingRecord
{
    public static string ToJson(IEnumerable<ScenarioRun> runs, int cadenceMs) => JsonSerializer.Serialize(new
    {
        cadence_ms = cadenceMs,
        scenarios = runs.Where(r => r.Polls.Count > 0).Select(r => new
        {
            scenario = r.Scenario.ToString(),
            polls = r.Polls.Select(x => new
            {
                started_ms = Math.Round((x.StartedAt - r.Polls[0].StartedAt).TotalMilliseconds, 1),
                elapsed_ms = Math.Round(x.Elapsed.TotalMilliseconds, 1),
                status = x.Status,
                body_status = x.BodyStatus,
            }),
            // Every GET of the session, polls or not: the highest request rate the harness put on one session.
            session_get_times_ms = r.SessionGets.Select(x => Math.Round((x.StartedAt - r.StartedAt).TotalMilliseconds, 1)),
        }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
