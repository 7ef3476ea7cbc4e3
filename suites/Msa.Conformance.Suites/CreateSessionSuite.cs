using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Create Session (eka create-session; spec 6.2): 201 and its body, the client-chosen session_id, the advertised upload methods, and the refusal of bad bodies.
/// Each check is declared, with its requirement id, level and source, in suites/Msa.Conformance/Checks/CreateSession/.
/// </summary>
[TestFixture]
public class CreateSessionSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.CreateSession);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
