using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks.RateLimit;

/// <summary>
/// The rate limit as the opt-in burst shows it (--burst N; never sent uninvited, so without it every check here is
/// not applicable). SEC-09 is judged at SHOULD (CF-44: spec 5.5 says MUST, spec 12.7 SHOULD, Eka documents none).
/// </summary>
public static class RateLimits
{
    public static readonly Check Enforced = new(
        "rate-limit.enforced", "A burst of requests from one client meets the rate limit: some are answered 429",
        new("SEC-09", "CF-44", Level.Should), Scenario.Burst, o =>
        {
            var answers = Answers(o);
            var unanswered = answers.Count(x => !x.GotResponse);
            if (o.Run.Probes.GetValueOrDefault(Probe.FirstRateLimited) is { } limited)
                return CheckResult.Pass($"429 after {answers.IndexOf(limited) + 1} of the burst's GETs ({limited.Summary()}).");
            if (unanswered * 2 > answers.Count)
                return CheckResult.Inconclusive($"{unanswered} of the burst's {answers.Count} GETs got no answer, so the limit could not be seen", answers.First(x => !x.GotResponse));
            // GETs of a session the run saw exist: anything but 2xx means they did not reach the session API (another row's finding).
            if (!answers.Any(x => x.Accepted))
                return CheckResult.Inconclusive($"not reached: none of the burst's GETs of the completed session was answered 2xx (first: {answers[0].Summary()})", answers[0]);
            var span = answers.Max(x => x.StartedAt + x.Elapsed) - answers.Min(x => x.StartedAt);
            return CheckResult.Fail($"Expected: some of {answers.Count} GETs of one URL, sent {BurstConnectionsText} within {span.TotalSeconds:0.0} s, answered 429\n"
                + $"Received: {string.Join(", ", answers.GroupBy(x => x.GotResponse ? x.Status.ToString(CultureInfo.InvariantCulture) : "no answer").Select(g => $"{g.Count()} × {g.Key}"))}; "
                + "no rate limit met (if the server's limit is higher, a larger --burst reaches it)", answers[^1]);
        });

    public static readonly Check RetryAfterSeconds = new(
        "rate-limit.retry-after", "Every 429 answer has a Retry-After header in seconds",
        new("ERR-11"), Scenario.Burst, o =>
        {
            var v = new Violations();
            foreach (var x in Limited(o))
                v.When(!int.TryParse(x.Header("Retry-After")?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _), x,
                    () => $"Expected: Retry-After: <seconds>\nReceived: {(x.Header("Retry-After") is { } h ? $"Retry-After: {h}" : "no Retry-After header")}");
            return v.Result();
        });

    public static readonly Check Code = new(
        "rate-limit.code", "Every 429 answer uses the error code rate_limit_exceeded (details.retry_after_seconds, when given, a number of seconds)",
        new("ERR-12"), Scenario.Burst, o =>
        {
            var v = new Violations();
            foreach (var x in Limited(o))
            {
                v.When(x.ErrorCode() != "rate_limit_exceeded", x, () => $"Expected: error.code rate_limit_exceeded\nReceived: {Rules.Show(x.JsonObject?["error"]?["code"])}");
                var after = (x.JsonObject?["error"]?["details"] as JsonObject)?["retry_after_seconds"];
                v.When(after is not null && !(after.GetValueKind() == JsonValueKind.Number && (double)after >= 0), x,
                    () => $"Expected: details.retry_after_seconds a non-negative number of seconds\nReceived: {Rules.Show(after)}");
            }
            return v.Result();
        });

    public static readonly Check PerClient = new(
        "rate-limit.per-client", "One client's burst does not get another client 429: the limit is per client",
        new("ISO-11"), Scenario.Burst, o =>
        {
            Answers(o);
            Expect.OtherTenantKeyGiven(o);
            var first = o.Run.Probes.GetValueOrDefault(Probe.FirstRateLimited) ?? throw o.Run.Unreached("no request of the burst was answered 429 (see SEC-09), so no limit was in force to share");
            var x = Expect.Answered(o.Run, Probe.OtherTenantDuringBurst);
            return x.Status == 429
                ? CheckResult.Fail($"Expected: another client's GET, sent right after this client's first 429, served (not 429)\nReceived: {x.Summary()}", first, x)
                : CheckResult.Pass($"right after {first.Summary()}, another client's GET of the same URL got {x.Status}.");
        });

    public static IReadOnlyList<Check> All => [Enforced, RetryAfterSeconds, Code, PerClient];

    private const string BurstConnectionsText = "8 at a time";

    /// <summary>The burst's GETs; not applicable when no burst was asked for.</summary>
    private static List<Exchange> Answers(Observations o)
    {
        var run = o.Run;
        if (run.Stopped is { Verdict: Verdict.NotApplicable } skipped) throw new NotReached(Verdict.NotApplicable, skipped.Reason);
        var answers = run.Exchanges.Where(x => x.Step.StartsWith("burst: ", StringComparison.Ordinal)).ToList();
        return answers.Count > 0 ? answers : throw run.Unreached("the burst sent no request");
    }

    /// <summary>Every 429 of the burst; not reached when there is none (SEC-09 judges that).</summary>
    private static List<Exchange> Limited(Observations o)
    {
        var limited = Answers(o).Where(x => x.Status == 429).ToList();
        return limited.Count > 0 ? limited : throw o.Run.Unreached("no request of the burst was answered 429 (see SEC-09)");
    }
}
