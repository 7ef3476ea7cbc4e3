using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Versioning (spec 3.3): the MSA-Version request header.
/// Each check is declared, with its requirement id, level and source, in suites/Msa.Conformance/Checks/Versioning/.
/// </summary>
[TestFixture]
public class VersioningSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Versioning);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
