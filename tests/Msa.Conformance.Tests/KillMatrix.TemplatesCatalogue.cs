using Msa.Conformance.Checks;
using Msa.Conformance.Checks.Templates;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

public static partial class KillMatrix
{
    private static readonly IReadOnlyList<(Fault Fault, Check Check)> TemplatesCatalogueRows =
    [
        (Fault.TemplatesCatalogueMissing, TemplatesCatalogue.Listed),
        (Fault.TemplatesCatalogueWithoutDescription, TemplatesCatalogue.Listed),
        (Fault.TemplatesCatalogueOpenToAnonymous, TemplatesCatalogue.CredentialRequired),
        (Fault.TemplatesCatalogueListsRetiredId, TemplatesCatalogue.IdsAccepted),
        (Fault.TemplatesCatalogueDuplicateId, TemplatesCatalogue.IdsAccepted),
    ];
}
