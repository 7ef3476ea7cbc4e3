using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.GetSession;

/// <summary>Get Session polling: a client polls about once a second after End until the code is no longer 202 (seed, "Polling guidance").</summary>
public static class GetSessionPolling
{
    private const string Seed = "seed: Get Session › Polling guidance";

    private static IEnumerable<ScenarioRun> Polled(Observations o)
    {
        var runs = o.All.Where(r => r.Polls.Count > 0).ToList();
        return runs.Count > 0 ? runs : throw new NotReached(Verdict.Inconclusive, "no session was polled after End");
    }

    public static readonly Check NotRefused = new(
        "get-session.polling.not-refused", "Polling about once a second is never refused with 429 or a 5xx",
        new("POLL-01"), Scenario.All, o =>
        {
            var v = new Violations();
            var notes = new List<string>();
            foreach (var r in Polled(o))
            {
                // Every GET of the session, retries of throttled ones included. A 5xx the polling ended on (repeated, so
                // taken as final) is the session's answer, which GET-PAIR-* judge: it is noted here, not counted.
                var final = r.Terminal is { } t && !Rules.IsSessionCode(t.Status) && t.Status >= 500 ? t.Status : (int?)null;
                if (final is { } f) notes.Add($"{r.Scenario}: polling ended on HTTP {f}, taken as the session's answer (see GET-PAIR-03…07).");
                foreach (var x in r.SessionGets.Where(x => x.GotResponse && x.Status != final))
                    v.When(x.Status == 429 || x.Status >= 500, x,
                        () => $"Expected: 202 or a terminal code at a {o.Options.Polling.IntervalMs} ms cadence\nReceived: HTTP {x.Status}{(x.Header("Retry-After") is { } ra ? $" (Retry-After: {ra})" : "")}");
            }
            return v.Result(notes.Count == 0 ? null : string.Join("\n", notes));
        });

    public static readonly Check NoReturnToInitialized = new(
        "get-session.polling.no-regression-to-initialized", "After End, the 202 status never goes back from processing to initialized",
        new("POLL-08"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var r in Polled(o))
            {
                var sawProcessing = false;
                foreach (var x in r.Polls.Where(x => x.Status == 202))
                {
                    v.When(sawProcessing && x.BodyStatus == "initialized", x, () => "Expected: \"processing\" (the session already reported processing)\nReceived: \"initialized\"");
                    sawProcessing |= x.BodyStatus == "processing";
                }
            }
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [NotRefused, NoReturnToInitialized];
}
