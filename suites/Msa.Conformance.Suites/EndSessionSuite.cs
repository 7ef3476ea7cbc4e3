using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// End Session (eka end-session; spec 6.4): 202 and its body, the files it reports, unknown and repeated End, a
/// declared count that does not match what arrived. Each check is declared, with its requirement id, level and source, in
/// suites/Msa.Conformance/Checks/EndSession/.
/// </summary>
[TestFixture]
public class EndSessionSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.EndSession);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
