using System.Text.Json.Nodes;
using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Endpoints;

/// <summary>
/// The templates catalogue (spec 8.2) at <c>{base}/templates</c>, in both profiles: the known templates as
/// <c>{"templates": [{"id", "name", "description"}]}</c>. Not advertised as <c>endpoints.templates_url</c>, since
/// this loopback server has no https URL to give (DISC-16). Needs the credential; answers pass the fault injector.
/// </summary>
internal static class TemplateEndpoints
{
    public const string CatalogueName = "TemplatesCatalogue";

    public static IEndpointRouteBuilder MapTemplates(this IEndpointRouteBuilder root)
    {
        var group = root.MapGroup("/templates").RequireCredential();
        group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<FaultInjector>().TemplatesCatalogue(context.HttpContext, await next(context)));
        group.MapGet("", () => new JsonReply(200, Catalogue())).WithName(CatalogueName);
        return root;
    }

    private static JsonObject Catalogue() =>
        new() { ["templates"] = new JsonArray([.. CannedResults.Catalogue.Select(t => (JsonNode)t.ToCatalogueEntry())]) };
}
