using System.Text.Json.Nodes;
using Msa.ReferenceServer.Endpoints;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The templates-catalogue part of the one place where faults take effect: the catalogue's answer, who may read it,
/// and Create's refusal of the one id only a faulty catalogue lists. With no fault on, everything passes unchanged.
/// </summary>
internal sealed partial class FaultInjector
{
    /// <summary>An id no conforming catalogue lists; under TemplatesCatalogueListsRetiredId it is listed but refused at Create.</summary>
    public const string RetiredTemplate = "retired_template";

    /// <summary>The catalogue's answer with the switched-on faults applied.</summary>
    public IResult TemplatesCatalogue(HttpContext http, object? answer)
    {
        if (answer is not JsonReply { StatusCode: 200, Body: JsonObject { } body } reply || body["templates"] is not JsonArray entries)
            return (IResult)answer!;
        if (On(Fault.TemplatesCatalogueMissing))
            return ApiError.Reply(404, "not_found", $"No endpoint for {http.Request.Method} {http.Request.Path}.");
        if (On(Fault.TemplatesCatalogueWithoutDescription))
            foreach (var entry in entries.OfType<JsonObject>()) entry.Remove("description");
        if (On(Fault.TemplatesCatalogueDuplicateId) && entries.FirstOrDefault() is { } first) entries.Add(first.DeepClone());
        if (On(Fault.TemplatesCatalogueListsRetiredId))
            entries.Add(new JsonObject { ["id"] = RetiredTemplate, ["name"] = "Retired", ["description"] = "No longer offered." });
        return reply;
    }

    /// <summary>A request without any credential that the catalogue lets through.</summary>
    private bool CatalogueOpenToAnonymous(string? endpointName) =>
        On(Fault.TemplatesCatalogueOpenToAnonymous) && endpointName == TemplateEndpoints.CatalogueName;

    /// <summary>Create's refusal of the requested templates; null lets Create go on.</summary>
    public JsonReply? TemplatesRefused(IReadOnlyList<string> requested) =>
        On(Fault.TemplatesCatalogueListsRetiredId) && requested.Contains(RetiredTemplate)
            ? ApiError.Reply(400, "invalid_template", $"Template '{RetiredTemplate}' is no longer offered.")
            : ListedTemplateRefused(requested);
}
