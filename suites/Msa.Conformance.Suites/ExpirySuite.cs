using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Expiry (seed 410 Expired; spec 6.5): never before expires_at; afterwards no upload, no End, and 410 for good.
/// With --expired-session-id the checks read that session instead of waiting for one to expire. Each check is declared, with its requirement id, level and source, in
/// suites/Msa.Conformance/Checks/Expiry/.
/// </summary>
[TestFixture]
public class ExpirySuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Expiry);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
