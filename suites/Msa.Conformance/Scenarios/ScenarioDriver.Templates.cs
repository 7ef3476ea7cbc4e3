using Msa.Conformance.Checks.Templates;
using RestSharp;

namespace Msa.Conformance.Scenarios;

public sealed partial class ScenarioDriver
{
    /// <summary>
    /// The templates catalogue (TPL-CAT-01/03/04): an authenticated GET, the same GET without a credential, then one
    /// Create per two ids the catalogue lists (when it lists them in the documented shape).
    /// </summary>
    private Task<ScenarioRun> TemplatesCatalogueAsync(ScenarioRun run, CancellationToken ct) => GuardedAsync(run, async () =>
    {
        var url = target.TemplatesUrl;
        var listed = run.Probes[ProbeNames.TemplatesCatalogue] = run.Record(await Client.SendAsync(ProbeNames.TemplatesCatalogue, Method.Get, url, ct: ct));
        run.Probes[ProbeNames.TemplatesCatalogueWithoutCredential] = run.Record(await Client.SendAsync(ProbeNames.TemplatesCatalogueWithoutCredential,
            Method.Get, url, auth: false, ct: ct));
        foreach (var pair in TemplatesCatalogue.CreatePairs(TemplatesCatalogue.ListedIds(listed) ?? []))
        {
            var step = ProbeNames.CatalogueCreate(pair);
            run.Probes[step] = await PostCreateAsync(run, step, CreateBody(run.Scenario, pair), ct);
        }
    }, ct);
}
