using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Transport security (spec 12.1): one handshake per TLS version with the API host, the negotiated cipher suites and
/// the certificate. Not applicable to a plain-http API base. Each check is declared in suites/Msa.Conformance/Checks/Transport/.
/// </summary>
[TestFixture]
public class TransportSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Transport);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
