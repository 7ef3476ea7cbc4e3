using System.Text.Json.Nodes;

namespace Msa.Conformance.Scenarios;

/// <summary>
/// The additional_data every scenario sends at Create: one member of each JSON kind that a careless server could
/// change (spec 6.6, ADD-04): nested objects and arrays, non-ASCII text, booleans, null, an integer above 2^31 (but
/// below 2^53, so JavaScript servers keep it exact) and a decimal. The scenario name tells sessions apart (ADD-09); decoy keys named like protocol fields must stay inside it (ADD-07).
/// </summary>
public static class AdditionalDataFixture
{
    public static JsonObject For(Scenario scenario) => new()
    {
        ["msa_conformance_run"] = scenario.ToString(),
        // One per Create: a session answering with another Create's value is not the session this Create made.
        [CreateKey] = System.Security.Cryptography.RandomNumberGenerator.GetHexString(16, lowercase: true),
        ["visit_ref"] = "conformance-0001",
        ["nested"] = new JsonObject { ["n"] = 1, ["flag"] = true, ["list"] = new JsonArray(1, "two", null, new JsonObject { ["three"] = 3.5 }) },
        ["note"] = "Fièvre · 発熱 · ज्वर",
        ["big"] = 4_294_967_296_001L,
        ["ratio"] = 36.6,
        ["off"] = false,
        ["nothing"] = null,
        // Decoys named like protocol fields (ADD-07): none of them may reach the session's own fields.
        ["status"] = DecoyStatus,
        ["session_id"] = DecoySessionId,
        ["templates"] = new JsonArray(DecoyTemplate),
        ["model"] = DecoyModel,
        ["language_hint"] = new JsonArray(DecoyLanguage),
    };

    /// <summary>The member that names the Create a session came from.</summary>
    public const string CreateKey = "msa_conformance_create";

    /// <summary>The Create marker a body's additional_data carries, or null (a server may drop or rewrite additional_data: ADD-03's finding).</summary>
    public static string? CreateMarkerOf(JsonNode? body) =>
        body?["additional_data"] is JsonObject a && a[CreateKey] is JsonValue v && v.TryGetValue<string>(out var marker) ? marker : null;

    public const string DecoyStatus = "msa_conformance_decoy_status";
    public const string DecoySessionId = "msa_conformance_decoy_session";
    public const string DecoyTemplate = "msa_conformance_decoy_template";
    public const string DecoyModel = "msa_conformance_decoy_model";
    public const string DecoyLanguage = "xx";
}
