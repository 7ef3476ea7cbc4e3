using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Auth;

/// <summary>
/// Authentication of Create, Upload, End and Get Session (seed: security scheme "auth", http bearer; eka overview: every
/// endpoint but discovery needs the credential).
/// </summary>
public static class Authentication
{
    /// <summary>The probes of each authenticated endpoint under one kind of bad credential; NotReached until every one was answered.</summary>
    private static List<(string Endpoint, Exchange X)> Probes(ScenarioRun run, Func<string, string> key, IEnumerable<string> endpoints)
    {
        var answered = endpoints.Select(e => (e, x: run.Probes.GetValueOrDefault(key(e)))).Where(p => p.x is { GotResponse: true }).ToList();
        return answered.Count > 0 ? answered.Select(p => (p.e, p.x!)).ToList() : throw run.Unreached($"no '{key("…")}' request was answered");
    }

    private static CheckResult All401(ScenarioRun run, Func<string, string> key, IEnumerable<string> endpoints, string what, bool anyRefusal = false)
    {
        var probes = Probes(run, key, endpoints);
        var v = new Violations();
        foreach (var (endpoint, x) in probes)
            v.When(anyRefusal ? !IsAuthRefusal(x) : x.Status != 401, x, () => $"Expected: HTTP 401{(anyRefusal ? " (or 403)" : "")} for {endpoint} {what}\nReceived: HTTP {x.Status}{(x.ErrorCode() is { } c ? $" ({c})" : "")}");
        var not401 = anyRefusal && probes.Any(p => p.X.Status != 401) ? " Not all were 401 exactly: see AUTH-01." : "";
        var storage = Upload.UploadLog.PresignedUploadUrl(run) is not null && endpoints.Contains("upload") && probes.All(p => p.Endpoint != "upload")
            ? " Upload not probed: upload_url is a presigned storage URL, its signature the credential (see UPL-05)." : "";
        return v.Result($"{string.Join("/", probes.Select(p => p.X.Status).Distinct())} {what} on {string.Join(", ", probes.Select(p => p.Endpoint))}.{not401}{storage}");
    }

    /// <summary>An authentication refusal: 401, or 403 as some frameworks send (that it must be 401 is AUTH-01's and AUTH-02's finding).</summary>
    public static bool IsAuthRefusal(Exchange x) => x.Status is 401 or 403;

    public static readonly Check MissingCredential = new(
        "auth.credential.missing-401", "Create, Upload, End and Get Session without a credential are each answered 401",
        new("AUTH-01"), Scenario.Unauthenticated, o =>
            All401(o.Run, Probe.NoCredential, Probe.AuthenticatedEndpoints, "without a credential"));

    public static readonly Check WrongCredential = new(
        "auth.credential.wrong-401", "Create, Upload, End and Get Session with a well-formed but unknown credential are each answered 401",
        new("AUTH-02"), Scenario.Unauthenticated, o =>
            All401(o.Run, Probe.WrongCredential, Probe.AuthenticatedEndpoints, "with a wrong credential"));

    public static readonly Check UnauthorizedHasEnvelope = new(
        "auth.credential.401-envelope", "Every 401 answer carries the error envelope",
        new("AUTH-03"), Scenario.Unauthenticated, o =>
        {
            var answers = o.Run.Exchanges.Where(x => x.Status == 401).ToList();
            if (answers.Count == 0) throw o.Run.Unreached("the server gave no 401 to examine");
            var v = new Violations();
            foreach (var x in answers)
            {
                var problems = Expect.EnvelopeProblems(x); // its Content-Type is ERR-05's
                v.When(problems.Count > 0, x, () => $"Expected: {{\"error\":{{\"code\",\"message\"}}}}\nReceived: {string.Join("; ", problems)}; body: {x.Excerpt(150)}");
            }
            return v.Result();
        });

    public static readonly Check CheckedBeforeLookup = new(
        "auth.credential.before-session-lookup", "A request without a credential for an unknown session id gets 401, not 404",
        new("AUTH-10"), Scenario.Unauthenticated, o =>
        {
            // Order only means something where the server refuses a credential-less request at all (AUTH-01's finding).
            var refusing = new[] { "get", "end", "upload" }.Where(e => o.Run.Probes.GetValueOrDefault(Probe.NoCredential(e)) is not { GotResponse: true } known || IsAuthRefusal(known)).ToList();
            if (refusing.Count == 0)
                throw new NotReached(Verdict.Inconclusive, "the server answered credential-less requests for a real session without refusing them (401/403), so whether it checks the credential before the lookup cannot be seen: see AUTH-01");
            return All401(o.Run, Probe.UnknownIdNoCredential, refusing, "without a credential for an unknown id", anyRefusal: true);
        });

    public static IReadOnlyList<Check> All => [MissingCredential, WrongCredential, UnauthorizedHasEnvelope, CheckedBeforeLookup];
}
