using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Authentication (seed: bearer; spec 5): Create, Upload, End and Get Session refuse a missing or wrong credential
/// with 401 and the envelope, before looking the session up. Each check is declared, with its requirement id, level and source, in
/// suites/Msa.Conformance/Checks/Auth/.
/// </summary>
[TestFixture]
public class AuthSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Auth);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
