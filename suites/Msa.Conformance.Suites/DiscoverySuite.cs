using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Discovery (eka discovery; spec 4): where it is served, that it is public, JSON and cacheable, its required fields and the rules tying them together.
/// Each check is declared, with its requirement id, level and source, in suites/Msa.Conformance/Checks/Discovery/.
/// </summary>
[TestFixture]
public class DiscoverySuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Discovery);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
