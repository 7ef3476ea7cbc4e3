using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Discovery;

/// <summary>
/// The discovery document's required fields and their values: one check per requirement, each validating its field
/// against a definition of schemas/discovery.json, plus the rule the schema cannot say (where there is one).
/// </summary>
public static class DiscoveryFields
{
    private const string Spec = "spec 4.3; eka discovery; msa schema discovery";

    /// <summary>One requirement on one field: where it is, the schema definition it must match, and any extra rule.</summary>
    public sealed record FieldRow(string Slug, string Title, Requirement Requirement, string Path, string? Definition,
        Func<JsonObject, IEnumerable<string>>? Rule = null);

    public static readonly IReadOnlyList<FieldRow> Rows =
    [
        new("protocol", "protocol is exactly \"medscribealliance\"", new("DISC-09"), "protocol", "protocol"),
        new("protocol-version", "protocol_version is a MAJOR.MINOR version string", new("DISC-10"),
            "protocol_version", "protocolVersion"),
        new("supported-versions", "supported_versions is a non-empty list of versions that contains protocol_version",
            new("DISC-11"), "supported_versions", "supportedVersions", doc =>
                Versions(doc).Contains(Rules.TextOf(doc["protocol_version"])) ? []
                    : [$"protocol_version {Rules.Show(doc["protocol_version"])} is not among supported_versions {Rules.Show(doc["supported_versions"])}"]),
        new("supports-0.1", "supported_versions contains \"0.1\", the version this harness tests",
            new("DISC-12"), "supported_versions", null, doc =>
                Versions(doc).Contains(ScenarioDriver.TestedVersion) ? [] : [$"supported_versions {Rules.Show(doc["supported_versions"])} lacks \"0.1\""]),
        new("auth-methods", "authentication.supported_methods is a non-empty list of api_key and/or oidc",
            new("DISC-17"), "authentication.supported_methods", "authMethods"),
        new("audio-formats", "capabilities.audio_formats is a non-empty list of MIME types",
            new("DISC-20"), "capabilities.audio_formats", "audioFormats"),
        new("max-chunk-duration", "capabilities.max_chunk_duration_seconds is an integer of at least 1",
            new("DISC-22"), "capabilities.max_chunk_duration_seconds", "chunkDuration"),
        new("upload-methods", "capabilities.upload_methods lists only chunked, single and stream, and offers chunked or single",
            new("DISC-24"), "capabilities.upload_methods", "uploadMethods", doc =>
                doc["capabilities"]?["upload_methods"] is JsonArray methods && methods.Any(m => Rules.TextOf(m) is "chunked" or "single") ? []
                    : ["neither chunked nor single is offered, so a client has no HTTP way to send audio"]),
        new("delivery-flags", "capabilities.webhook_delivery and capabilities.client_sdk_delivery are booleans",
            new("DISC-25"), "capabilities", "deliveryFlags"),
        new("models", "models is a non-empty list; each has id, display_name, languages and a positive max_session_duration_seconds",
            new("DISC-26"), "models", "models"),
        new("languages", "languages.supported holds ISO 639-1 codes and languages.auto_detection is a boolean",
            new("DISC-32"), "languages", "languages"),
    ];

    public static readonly IReadOnlyList<Check> All = Rows.Select(row => new Check(
        $"discovery.{row.Slug}", "The discovery document's " + row.Title, row.Requirement, Scenario.Discovery, o =>
        {
            var (x, doc) = Document(o);
            var node = At(doc, row.Path, out var present);
            var problems = !present ? [$"{row.Path} is missing"]
                : (row.Definition is null ? [] : SchemaValidator.Validate("discovery.json", Rules.Show(node), row.Definition)
                    .Select(e => Located(row.Path, e))).Concat(row.Rule?.Invoke(doc) ?? []).ToList();
            return new Violations().When(problems.Count > 0, x, () =>
                $"Expected: {row.Title}{(row.Definition is null ? "" : $" (schemas/discovery.json#/definitions/{row.Definition})")}\n"
                + $"Received: {row.Path} = {Truncate(present ? Rules.Show(node) : "(absent)")}: {string.Join("; ", problems)}").Result();
        })).ToList();

    /// <summary>The discovery answer the run started from, and its document.</summary>
    public static (Exchange X, JsonObject Doc) Document(Observations o)
    {
        var x = o.Run.Need(o.Run.Probes.GetValueOrDefault(ProbeNames.Discovery), "the run has no discovery answer");
        return (x, o.Run.Need(x.JsonObject, "the discovery answer is not a JSON object"));
    }

    /// <summary>The node at a dotted path; `present` says whether the last key exists (its value may be null).</summary>
    public static JsonNode? At(JsonObject doc, string path, out bool present)
    {
        JsonNode? node = doc;
        present = true;
        foreach (var key in path.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(key, out var next)) { present = false; return null; }
            node = next;
        }
        return node;
    }

    /// <summary>A schema error ("#/[3]: pattern mismatch") as a path in the document ("capabilities.audio_formats[3]: pattern mismatch").</summary>
    private static string Located(string field, string error)
    {
        var rest = error.TrimStart('#');
        return field + (rest.StartsWith("/[") || rest.StartsWith("/:") ? rest[1..] : rest.StartsWith('/') ? "." + rest[1..] : rest);
    }

    private static List<string?> Versions(JsonObject doc) =>
        doc["supported_versions"] is JsonArray list ? list.Select(Rules.TextOf).ToList() : [];

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
