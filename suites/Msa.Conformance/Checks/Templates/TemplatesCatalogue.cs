using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Templates;

/// <summary>
/// The templates catalogue at endpoints.templates_url, else {base_url}/templates (spec 8.2). CF-49: the community
/// draft requires it; EkaScribe documents no shape for it, so there only its protection and its ids are checked,
/// and only when it answers.
/// </summary>
public static class TemplatesCatalogue
{
    /// <summary>At most this many listed ids are tried at Create, so a long catalogue does not flood the server with sessions.</summary>
    public const int MaxIdsTried = 20;

    public static readonly Check Listed = new(
        "templates.catalogue.listed", "GET {base_url}/templates (or templates_url) answers 200 with {\"templates\": [{\"id\", \"name\", \"description\"}]}",
        new("TPL-CAT-01"), Scenario.TemplatesCatalogue, o =>
        {
            var x = Expect.Answered(o.Run, ProbeNames.TemplatesCatalogue);
            var v = new Violations().When(x.Status != 200, x,
                () => $"Expected: HTTP 200 with the templates catalogue for an authenticated GET {x.Url}\nReceived: HTTP {x.Status}: {x.Excerpt(200)}");
            return v.Count > 0 ? v.Result() : Rules.MatchesSchema([x], "templates-catalogue.json",
                $"{x.Summary()}: {ListedIds(x)?.Count} template(s), each with id, name and description.");
        });

    public static readonly Check CredentialRequired = new(
        "templates.catalogue.credential-required", "The templates catalogue refuses a request without a credential with 401",
        new("TPL-CAT-03"), Scenario.TemplatesCatalogue, o =>
        {
            var listed = Expect.Answered(o.Run, ProbeNames.TemplatesCatalogue);
            if (listed.Status != 200) throw NoCatalogue(o, listed, "there is no catalogue whose protection could be tested");
            var x = Expect.Answered(o.Run, ProbeNames.TemplatesCatalogueWithoutCredential);
            return new Violations().When(x.Status != 401, x,
                    () => $"Expected: HTTP 401 for GET {x.Url} without a credential\nReceived: HTTP {x.Status}: {x.Excerpt(150)}")
                .Result($"{x.Summary()}: the catalogue refuses a request without a credential.");
        });

    public static readonly Check IdsAccepted = new(
        "templates.catalogue.ids-accepted", "Catalogue ids are unique, and Create answers 201 to templates taken from the catalogue (two per session)",
        new("TPL-CAT-04"), Scenario.TemplatesCatalogue, o =>
        {
            var listed = Expect.Answered(o.Run, ProbeNames.TemplatesCatalogue);
            var ids = ListedIds(listed) ?? throw NoCatalogue(o, listed, "there are no listed ids to try");
            if (ids.Count == 0) throw new NotReached(Verdict.NotApplicable, "the catalogue lists no template, so there is no id to try");
            var repeated = ids.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            var v = new Violations().When(repeated.Count > 0, listed,
                () => $"Expected: each templates[].id once\nReceived: listed more than once: {string.Join(", ", repeated)}");
            var pairs = CreatePairs(ids);
            foreach (var pair in pairs)
            {
                var x = Expect.Answered(o.Run, ProbeNames.CatalogueCreate(pair));
                v.When(!x.Accepted, x, () => $"Expected: a 2xx acceptance (201: see CRE-01) of Create with templates [{string.Join(", ", pair)}], ids the catalogue lists\n"
                    + $"Received: HTTP {x.Status}{(x.ErrorCode() is { } code ? $" ({code})" : "")}: {x.Excerpt(150)}");
            }
            var tried = pairs.Sum(p => p.Length);
            var distinct = ids.Distinct(StringComparer.Ordinal).Count();
            return v.Result($"{ids.Count} listed id(s) are unique; Create answered 201 to {(tried < distinct ? $"the first {tried} of {distinct}" : $"all {tried}")} in {pairs.Count} session(s).");
        });

    public static IReadOnlyList<Check> All => [Listed, CredentialRequired, IdsAccepted];

    /// <summary>The ids of a 200 answer in the documented shape (templates[] of objects with a non-empty string id); null otherwise.</summary>
    public static IReadOnlyList<string>? ListedIds(Exchange x)
    {
        if (x.Status != 200 || x.JsonObject?["templates"] is not JsonArray entries) return null;
        var ids = entries.Select(e => Rules.TextOf((e as JsonObject)?["id"])).ToList();
        return ids.All(id => !string.IsNullOrEmpty(id)) ? ids! : null;
    }

    /// <summary>The templates of each catalogue Create: the distinct listed ids, up to <see cref="MaxIdsTried"/>, two per session.</summary>
    public static IReadOnlyList<string[]> CreatePairs(IEnumerable<string> ids) =>
        ids.Distinct(StringComparer.Ordinal).Take(MaxIdsTried).Chunk(2).ToList();

    /// <summary>
    /// Why a check that needs the catalogue gives no verdict: in ekascribe the catalogue is optional (CF-49), so not
    /// applicable; in msa-draft it is required, and TPL-CAT-01 already fails for it, so inconclusive here.
    /// </summary>
    private static NotReached NoCatalogue(Observations o, Exchange listed, string consequence)
    {
        var answered = $"GET {listed.Url} answered HTTP {listed.Status}{(listed.Status == 200 ? " without the documented {\"templates\": [{\"id\"}]} shape" : "")}";
        return o.Options.ProtocolProfile == ProtocolProfile.Ekascribe
            ? new NotReached(Verdict.NotApplicable, $"{answered}; EkaScribe documents no catalogue (CF-49), so {consequence}.")
            : new NotReached(Verdict.Inconclusive, $"{answered}, so {consequence}; TPL-CAT-01 reports the catalogue itself.");
    }
}
