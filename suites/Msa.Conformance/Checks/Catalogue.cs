using Msa.Conformance.Checks.CreateSession;
using Msa.Conformance.Checks.Discovery;
using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Checks.Versioning;

namespace Msa.Conformance.Checks;

/// <summary>Every check of the harness, by area. The suites and the kill matrix both enumerate this.</summary>
public static class Catalogue
{
    public static readonly IReadOnlyList<Check> GetSession =
        [.. GetSessionPairing.All, .. GetSessionFields.All, .. GetSessionTemplates.All, .. GetSessionPolling.All, .. GetSessionAuth.All];

    public static readonly IReadOnlyList<Check> Discovery = [.. DiscoveryRules.All, .. DiscoveryFields.All];

    public static readonly IReadOnlyList<Check> CreateSession = [.. CreateSessionCreated.All, .. CreateSessionRefusals.All];

    public static readonly IReadOnlyList<Check> Versioning = VersionHeader.All;

    public static IReadOnlyList<Check> All => [.. GetSession, .. Discovery, .. CreateSession, .. Versioning];

    public static Check ById(string id) => All.Single(c => c.Id == id);
}
