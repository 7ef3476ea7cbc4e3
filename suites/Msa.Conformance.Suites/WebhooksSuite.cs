using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Webhooks (community spec section 10): registration, listing and deletion at discovery's webhooks_url; the events a
/// session's lifecycle delivers to the harness's own receiver; their payload and signature; and that each announced
/// outcome matches what polling shows. Not applicable when discovery offers no webhooks. Each check is declared, with
/// its requirement id, level and source, in suites/Msa.Conformance/Checks/Webhooks/.
/// </summary>
[TestFixture]
public class WebhooksSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Webhooks);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
