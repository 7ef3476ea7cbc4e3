using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// The templates catalogue (community spec 8.2; CF-49): GET {base_url}/templates (or templates_url) lists
/// {id, name, description} in msa-draft, refuses a request without a credential with 401, and lists unique ids that
/// Create accepts. Each check is declared, with its requirement id, level and source, in
/// suites/Msa.Conformance/Checks/Templates/.
/// </summary>
[TestFixture]
public class TemplatesSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Templates);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
