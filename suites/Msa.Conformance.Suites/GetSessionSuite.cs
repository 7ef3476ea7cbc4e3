using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Get Session (seed: EkaScribe Get Session, MedScribeAlliance v0.1): code/status pairing, the field set of each
/// state, the templates list and its filter, polling, authentication. Each check is declared, with its requirement
/// id, level and source, in suites/Msa.Conformance/Checks/GetSession/.
/// </summary>
[TestFixture]
public class GetSessionSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.GetSession);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
