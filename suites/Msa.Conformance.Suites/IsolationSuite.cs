using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Isolation of sessions processed side by side (derived from spec 6): each session's results come from its own audio.
/// Each check is declared in suites/Msa.Conformance/Checks/Isolation/.
/// </summary>
[TestFixture]
public class IsolationSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Isolation);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
