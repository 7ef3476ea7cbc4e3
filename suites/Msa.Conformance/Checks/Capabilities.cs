using System.Text.Json;
using System.Text.Json.Nodes;

namespace Msa.Conformance.Checks;

/// <summary>The kinds of optional feature a server declares in its discovery document.</summary>
public enum Feature { UploadMethod, AudioFormat, Model, Language, WebhookDelivery, ClientSdkDelivery }

/// <summary>
/// What the discovery document advertises, read leniently (a malformed field advertises nothing; the discovery checks
/// report the malformation). Checks of an optional feature ask here first: a feature the server does not advertise
/// makes the check not applicable (<see cref="Require"/>), and a failure of one it does advertise is reported as
/// "declared but broken" (<see cref="DeclaredButBroken"/>).
/// </summary>
public sealed class Capabilities
{
    private readonly Dictionary<Feature, IReadOnlyList<string>> _declared;

    private Capabilities(JsonObject? discovery)
    {
        Document = discovery;
        _declared = Paths.ToDictionary(p => p.Key, p => Values(discovery, p.Key));
    }

    public static Capabilities From(JsonObject? discovery) => new(discovery);

    /// <summary>The document these were read from; null when the run has none (hand-built observations).</summary>
    public JsonObject? Document { get; }

    /// <summary>Where each feature is declared, as a reader of the discovery document finds it.</summary>
    public static readonly IReadOnlyDictionary<Feature, string> Paths = new Dictionary<Feature, string>
    {
        [Feature.UploadMethod] = "capabilities.upload_methods",
        [Feature.AudioFormat] = "capabilities.audio_formats",
        [Feature.Model] = "models[].id",
        [Feature.Language] = "languages.supported",
        [Feature.WebhookDelivery] = "capabilities.webhook_delivery",
        [Feature.ClientSdkDelivery] = "capabilities.client_sdk_delivery",
    };

    /// <summary>The declared values of a list feature; for a boolean feature ["true"] when it is on, else empty.</summary>
    public IReadOnlyList<string> Declared(Feature feature) => _declared[feature];

    /// <summary>The languages a Create can name: those discovery lists, or "en" when it lists none.</summary>
    public IEnumerable<string> LanguagesOrEnglish => Declared(Feature.Language).DefaultIfEmpty("en");

    public bool Declares(Feature feature, string value = "true") =>
        _declared[feature].Any(d => Normalise(feature, d) == Normalise(feature, value));

    /// <summary>Throws not-applicable (or inconclusive without a document) unless discovery advertises the feature.</summary>
    public void Require(Feature feature, string value = "true")
    {
        if (Document is null) throw new NotReached(Verdict.Inconclusive, "no discovery document was available to tell whether the server offers this feature");
        if (Declares(feature, value)) return;
        var what = IsBoolean(feature) ? $"{Paths[feature]} is not true" : $"'{value}' is not in {Paths[feature]} ([{string.Join(", ", Declared(feature))}])";
        throw new NotReached(Verdict.NotApplicable, $"the server does not advertise this feature in discovery: {what}");
    }

    public const string BrokenPrefix = "declared but broken: ";

    /// <summary>A failure of an advertised feature, worded so a reader sees the claim and the breakage together.</summary>
    public static CheckResult DeclaredButBroken(CheckResult result, Feature feature, string value = "true") =>
        result.Verdict != Verdict.Failed ? result
            : result with { Message = $"{BrokenPrefix}{Describe(feature, value)} is advertised in discovery, yet:\n{result.Message}" };

    public static string Describe(Feature feature, string value = "true") =>
        IsBoolean(feature) ? Paths[feature] : $"{Paths[feature]} '{value}'";

    private static bool IsBoolean(Feature feature) => feature is Feature.WebhookDelivery or Feature.ClientSdkDelivery;

    /// <summary>MIME types compare without case and spaces; the rest exactly.</summary>
    private static string Normalise(Feature feature, string value) =>
        feature == Feature.AudioFormat ? value.Replace(" ", "").ToLowerInvariant() : value;

    private static IReadOnlyList<string> Values(JsonObject? doc, Feature feature) => feature switch
    {
        Feature.UploadMethod => Strings(doc?["capabilities"]?["upload_methods"]),
        Feature.AudioFormat => Strings(doc?["capabilities"]?["audio_formats"]),
        Feature.Model => doc?["models"] is JsonArray models ? models.Select(m => Rules.TextOf((m as JsonObject)?["id"])).OfType<string>().ToList() : [],
        Feature.Language => Strings(doc?["languages"]?["supported"]),
        Feature.WebhookDelivery => IsTrue(doc?["capabilities"]?["webhook_delivery"]) ? ["true"] : [],
        Feature.ClientSdkDelivery => IsTrue(doc?["capabilities"]?["client_sdk_delivery"]) ? ["true"] : [],
        _ => [],
    };

    private static IReadOnlyList<string> Strings(JsonNode? node) => node is JsonArray list ? list.Select(Rules.TextOf).OfType<string>().ToList() : [];

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;
}
