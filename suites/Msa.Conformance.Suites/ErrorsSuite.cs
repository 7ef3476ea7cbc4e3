using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Errors (spec 11; seed ErrorResponse): every 4xx/5xx answer of the whole run has the envelope, a JSON content
/// type, a lower_snake code, and the status the spec's table pairs with that code. Each check is declared, with its requirement id, level and source, in
/// suites/Msa.Conformance/Checks/Errors/.
/// </summary>
[TestFixture]
public class ErrorsSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Errors);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
