using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.GetSession;

/// <summary>Get Session: the HTTP status code is the signal, and the body's status must agree with it (seed, "Status codes").</summary>
public static class GetSessionPairing
{
    private const string Seed = "seed: Get Session › Status codes";

    public static readonly Check Every202IsProcessingOrInitialized = new(
        "get-session.pairing.202-status", "Every 202 answer carries status processing or initialized",
        new("GET-PAIR-01"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var (_, x) in Rules.SessionBodies(o).Where(b => b.X.Status == 202))
                v.When(x.BodyStatus is not ("processing" or "initialized"), x,
                    () => $"Expected: status \"processing\" or \"initialized\" with HTTP 202\nReceived: status {Rules.Show(x.JsonObject?["status"])}");
            return v.Result();
        });

    public static readonly Check StatusImpliesCode = new(
        "get-session.pairing.status-implies-code", "completed comes only with 200, partial with 206, expired with 410, processing and initialized with 202",
        new("GET-PAIR-10"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in o.AllSessionGets.Where(x => x.GotResponse && Rules.IsSessionBody(x) && x.BodyStatus is not "failed"))
            {
                var expected = Rules.StatusesByCode.Where(p => p.Value.Contains(x.BodyStatus)).Select(p => p.Key).ToArray();
                v.When(expected.Length > 0 && !expected.Contains(x.Status), x,
                    () => $"Expected: HTTP {string.Join(" or ", expected)} for status \"{x.BodyStatus}\"\nReceived: HTTP {x.Status}");
            }
            return v.Result();
        });

    public static readonly Check FailedOnlyWith200 = new(
        "get-session.pairing.failed-only-200", "A failed session is reported with HTTP 200, never a 4xx or 5xx code",
        new("GET-PAIR-11"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in o.AllSessionGets.Where(x => x.GotResponse && Rules.IsSessionBody(x) && x.BodyStatus == "failed"))
                v.When(x.Status != 200, x, () => $"Expected: HTTP 200 for status \"failed\"\nReceived: HTTP {x.Status}");
            return v.Result();
        });

    public static readonly Check CompletedIs200 = new(
        "get-session.pairing.completed", "A session that finished successfully is reported with HTTP 200 and status completed",
        new("GET-PAIR-03"), Scenario.Completed, o =>
        {
            // A truthful other outcome (206 partial, 200 failed: say a template could not be made in time) is no pairing
            // violation; whether the session should have completed is GET-PAIR-18's and TPL-*'s finding.
            var t = o.Run.RequireTerminal();
            if ((t.Status, t.BodyStatus) is (206, "partial") or (200, "failed"))
                throw new NotReached(Verdict.Inconclusive, $"not reached: the session ended {t.Status} \"{t.BodyStatus}\", a consistent other outcome, so no successful finish was reported (see GET-PAIR-18)");
            return Terminal(o.Run, 200, "completed");
        });

    public static readonly Check FailedIs200 = new(
        "get-session.pairing.failed", "A session ended without audio is reported failed with HTTP 200",
        new("GET-PAIR-04"), Scenario.Failed, o =>
        {
            var t = o.Run.RequireTerminal();
            if (t.BodyStatus != "failed" && t.Status is 200 or 206)
                throw new NotReached(Verdict.NotApplicable, $"the session ended without audio finished as {t.Status} '{t.BodyStatus}', not as a failure; the server has no failed state to show here");
            return Terminal(o.Run, 200, "failed");
        });

    public static readonly Check PartialIs206 = new(
        "get-session.pairing.partial", "A session whose requested template could not be produced is reported with HTTP 206 and status partial",
        new("GET-PAIR-06"), Scenario.Partial, o => Terminal(o.Run, 206, "partial"));

    public static readonly Check ExpiredIs410 = new(
        "get-session.pairing.expired", "A session never ended is reported with HTTP 410 and status expired after expires_at",
        new("GET-PAIR-07"), Scenario.Expired, o => Terminal(o.Run, 410, "expired")) { AlsoCites = ["EXP-03"] };

    public static readonly Check UnknownIs404WithEnvelope = new(
        "get-session.pairing.unknown-404", "An id that was never created gets HTTP 404 with the error envelope",
        new("GET-PAIR-08"), Scenario.UnknownSession, o =>
        {
            var x = o.Run.RequireTerminal();
            if (!x.GotResponse) throw new NotReached(Verdict.Inconclusive, $"no answer: {x.TransportError}");
            var problems = x.Status == 404 ? Expect.EnvelopeProblems(x) : [$"HTTP {x.Status}, not 404"];
            return new Violations().When(problems.Count > 0, x,
                () => $"Expected: HTTP 404 with {{\"error\":{{\"code\",\"message\"}}}} (its Content-Type: see GET-PAIR-21)\nReceived: {string.Join("; ", problems)}; body: {x.Excerpt(200)}").Result();
        });

    public static readonly Check OddIdsAnswered = new(
        "get-session.pairing.odd-ids", "GET of odd-looking ids (abc, 200 characters, an encoded '/', punctuation) answers 404, 400 or 422 with the error envelope, never 5xx",
        new("GET-PAIR-20"), Scenario.UnknownSession, o =>
        {
            var v = new Violations();
            foreach (var kind in ProbeNames.OddIds.Keys)
            {
                var x = Expect.Answered(o.Run, ProbeNames.OddIdRequest(kind, "get"));
                var problems = x.Status is 404 or 400 or 422 ? Expect.EnvelopeProblems(x) : [$"HTTP {x.Status}"];
                v.When(problems.Count > 0, x, () => $"Expected: 404 (or 400 / 422) with the error envelope for the {kind} id\nReceived: {string.Join("; ", problems)}; body: {x.Excerpt(150)}");
            }
            return v.Result($"{ProbeNames.OddIds.Count} odd-looking ids, each refused with the envelope.");
        });

    public static readonly Check NotEndedIs202 = new(
        "get-session.pairing.not-ended-202", "A session that has not been ended answers 202, before and after chunks arrive",
        new("GET-PAIR-12"), Scenario.Completed, o =>
        {
            var v = new Violations();
            foreach (var x in o.Run.BeforeEnd.Where(x => x.GotResponse))
                v.When(x.Status != 202, x, () => $"Expected: HTTP 202 for a session not yet ended\nReceived: HTTP {x.Status}");
            return Examined(o.Run, o.Run.BeforeEnd, v);
        });

    public static readonly Check InitializedThenProcessing = new(
        "get-session.pairing.initialized-then-processing", "Before End the 202 status is initialized; after End it is processing",
        new("GET-PAIR-13"), Scenario.Completed, o =>
        {
            var v = new Violations();
            foreach (var x in o.Run.BeforeEnd.Where(x => x.Status == 202))
                v.When(x.BodyStatus != "initialized", x, () => $"Expected: status \"initialized\" before End\nReceived: \"{x.BodyStatus}\"");
            foreach (var x in o.Run.Polls.Where(x => x.Status == 202))
                v.When(x.BodyStatus != "processing", x, () => $"Expected: status \"processing\" after End\nReceived: \"{x.BodyStatus}\"");
            return Examined(o.Run, o.Run.BeforeEnd, v);
        });

    public static readonly Check TerminalIsStable = new(
        "get-session.pairing.terminal-stable", "Once a terminal code was returned, every later GET returns the same code and status",
        new("GET-PAIR-14"), Scenario.All, o =>
        {
            var v = new Violations();
            var runs = o.All.Where(r => r.Terminal is not null && r.Scenario != Scenario.UnknownSession).ToList();
            if (runs.Count == 0) throw new NotReached(Verdict.Inconclusive, "no scenario reached a terminal state");
            foreach (var r in runs)
                foreach (var x in r.AfterTerminal.Where(x => x.GotResponse))
                    v.When(x.Status != r.Terminal!.Status || x.BodyStatus != r.Terminal.BodyStatus, x,
                        () => $"Expected: {r.Terminal!.Status} \"{r.Terminal.BodyStatus}\" again (first terminal answer of this session)\nReceived: {x.Status} \"{x.BodyStatus}\"");
            return v.Result();
        });

    public static readonly Check No404AfterEnd = new(
        "get-session.pairing.no-404-after-end", "From the moment End returned 202, GET never answers 404 for that session",
        new("GET-PAIR-15"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var r in o.All.Where(r => r.End?.Status == 202))
                foreach (var x in r.Polls.Concat(r.AfterTerminal).Concat(r.Filtered.Values))
                    v.When(x.Status == 404, x, () => "Expected: 202 or a terminal code for a session that was ended\nReceived: 404");
            return v.Result();
        });

    public static readonly Check SessionIdEchoed = new(
        "get-session.pairing.session-id-echoed", "Every session body carries the session_id that was requested",
        new("GET-PAIR-17"), Scenario.All, o =>
        {
            var v = new Violations();
            // Every answer, crossed ones included: a crossed answer is exactly what this row and ISO-12 are about.
            foreach (var (r, x) in o.All.SelectMany(r => r.Exchanges.Where(x => x.Step.StartsWith("get", StringComparison.Ordinal) && x.GotResponse && Rules.IsSessionCode(x.Status)).Select(x => (r, x))))
                v.When(x.Text("session_id") != r.SessionId, x, () => $"Expected: session_id \"{r.SessionId}\"\nReceived: {Rules.Show(x.JsonObject?["session_id"])}");
            return v.Result();
        }) { AlsoCites = ["ISO-12"] }; // the run's scenarios poll their sessions side by side

    public static readonly Check JsonContentType = new(
        "get-session.pairing.json-content-type", "Every Get Session answer, whatever its code, is sent as application/json",
        new("GET-PAIR-21"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in o.AllSessionGets.Where(x => x.GotResponse && x.Status != 401))
                v.When(!x.IsJsonContentType, x, () => $"Expected: Content-Type application/json\nReceived: {x.ContentType ?? "(no Content-Type)"}");
            return v.Result();
        });

    public static IReadOnlyList<Check> All =>
    [
        Every202IsProcessingOrInitialized, StatusImpliesCode, FailedOnlyWith200, CompletedIs200, FailedIs200, PartialIs206,
        ExpiredIs410, UnknownIs404WithEnvelope, OddIdsAnswered, NotEndedIs202, InitializedThenProcessing, TerminalIsStable, No404AfterEnd,
        SessionIdEchoed, JsonContentType,
    ];

    private static CheckResult Terminal(ScenarioRun run, int code, string status)
    {
        var t = run.RequireTerminal();
        if (t.Status == code && t.JsonObject is not null && !t.Has("status"))
            throw new NotReached(Verdict.Inconclusive, $"{t.Summary()}: the body has no status field to read the outcome from (see GET-PAIR-16)");
        return new Violations().When(t.Status != code || t.BodyStatus != status, t,
            () => $"Expected: HTTP {code} with status \"{status}\"\nReceived: HTTP {t.Status} with status {Rules.Show(t.JsonObject?["status"])}"
                + (t.Json is null ? $" ({t.JsonError}: {t.Excerpt(150)})" : "")).Result();
    }

    private static CheckResult Examined(ScenarioRun run, List<Http.Exchange> seen, Violations v) =>
        seen.Count == 0 ? throw run.Unreached("no GET before End was made") : v.Result();
}
