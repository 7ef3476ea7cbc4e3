using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.GetSession;

/// <summary>Get Session needs the bearer credential (seed: security scheme "auth", http bearer).</summary>
public static class GetSessionAuth
{
    public static readonly Check RejectsMissingCredential = new(
        "get-session.auth.no-credential-401", "Get Session without a credential is rejected with 401",
        new("AUTH-01", Must, "seed: OpenAPI security (bearer); spec 5.1"), Scenario.Unauthenticated, o =>
        {
            var x = o.Run.Need(o.Run.Probes.GetValueOrDefault("no credential"), "no unauthenticated GET was made");
            if (!x.GotResponse) throw new NotReached(Verdict.Inconclusive, $"no answer: {x.TransportError}");
            return new Violations().When(x.Status != 401, x, () => $"Expected: HTTP 401 for a request with no credential\nReceived: HTTP {x.Status}").Result();
        });

    public static readonly Check UnauthorizedHasEnvelope = new(
        "get-session.auth.401-envelope", "A 401 answer carries the error envelope as application/json",
        new("AUTH-03", Must, "seed: ErrorResponse; spec 11.1"), Scenario.Unauthenticated, o =>
        {
            var v = new Violations();
            var answers = o.Run.Probes.Values.Where(x => x.Status == 401).ToList();
            if (answers.Count == 0) throw o.Run.Unreached("the server gave no 401 to examine");
            foreach (var x in answers)
            {
                var problems = Rules.EnvelopeProblems(x);
                v.When(problems.Count > 0, x, () => $"Expected: {{\"error\":{{\"code\",\"message\"}}}} as application/json\nReceived: {string.Join("; ", problems)}; body: {x.Excerpt(150)}");
            }
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [RejectsMissingCredential, UnauthorizedHasEnvelope];
}
