using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Sessions;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// Faults in the discovery document's fields and in repeated discovery answers.
/// </summary>
internal sealed partial class FaultInjector
{
    private int discoveryAnswers;

    /// <summary>Each discovery-document field fault, and the change (on a copy).</summary>
    private static readonly IReadOnlyDictionary<Fault, Action<JsonObject>> DocumentFieldFaults = new Dictionary<Fault, Action<JsonObject>>
    {
        [Fault.DiscoveryServiceNameEmpty] = d => d["service"]!["name"] = "",
        [Fault.DiscoveryWithoutProModel] = d =>
        {
            var models = d["models"]!.AsArray();
            foreach (var pro in models.Where(m => (string?)m?["id"] == "pro").ToList()) models.Remove(pro);
        },
        [Fault.DiscoveryOidcWithoutBlock] = d => d["authentication"]!["supported_methods"]!.AsArray().Add("oidc"),
        [Fault.DeprecatedVersionDroppedBeforeSunset] = d => d["deprecated_versions"] = new JsonArray(new JsonObject
        {
            ["version"] = "0.0.9",
            ["sunset_date"] = DateTimeOffset.UtcNow.AddDays(90).ToString("yyyy-MM-dd"),
            ["migration_guide"] = "https://example.invalid/migrate-to-0.1",
        }),
        [Fault.DiscoveryBaseUrlWithoutSessions] = d => d["endpoints"]!["base_url"] = d["endpoints"]!["base_url"]!.GetValue<string>().TrimEnd('/') + "/nothing-here",
    };

    /// <summary>The discovery answer under its faults; null when none is on.</summary>
    private IResult? DiscoveryDocumentFaults(DiscoveryReply reply)
    {
        if (reply.Reply.StatusCode != 200) return null;
        if (On(Fault.DiscoveryRepeatedAnswersAsArray) && Interlocked.Increment(ref discoveryAnswers) > 1)
            return new JsonReply(200, new JsonArray(reply.Document.DeepClone()));
        if (!DocumentFieldFaults.Keys.Any(On)) return null;
        var document = reply.Document.DeepClone().AsObject();
        foreach (var (fault, change) in DocumentFieldFaults)
            if (On(fault)) change(document);
        return DiscoveryEndpoints.Served(document);
    }
}
