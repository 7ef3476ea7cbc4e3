using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// additional_data pass-through (spec 6.6; seed): returned unchanged in every state; the EkaScribe _protocol key
/// is tolerated in the ekascribe profile. Each check is declared, with its requirement id, level and source, in
/// suites/Msa.Conformance/Checks/AdditionalData/.
/// </summary>
[TestFixture]
public class AdditionalDataSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.AdditionalData);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
