using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Rate limiting (spec 5.5, 11.4, 11.5, 12.7): only with the opt-in burst (--burst N), sent after every other scenario
/// so no 429 it provokes reaches them. Each check is declared in suites/Msa.Conformance/Checks/RateLimit/.
/// </summary>
[TestFixture]
public class RateLimitSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.RateLimit);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
