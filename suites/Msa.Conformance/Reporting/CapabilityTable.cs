using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Msa.Conformance.Checks;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Reporting;

/// <summary>
/// capabilities.json: each feature discovery can declare (upload method, audio format, model, language, webhook and
/// SDK delivery), whether it is declared, and what the run observed of it: per scenario, how many valid requests used
/// it and what the server answered. Deliberately invalid requests are left out (their refusal is about the defect they carry).
/// A feature value appears when it is declared or observed; the two delivery flags always appear.
/// </summary>
public static class CapabilityTable
{
    public sealed record Row(
        [property: JsonPropertyName("feature")] string Feature,
        [property: JsonPropertyName("value")] string Value,
        [property: JsonPropertyName("declared")] bool Declared,
        [property: JsonPropertyName("declared_in")] string DeclaredIn,
        [property: JsonPropertyName("observed")] IReadOnlyList<Seen> Observed,
        /// <summary>declared, works | declared, refused | declared, not reached | declared, not exercised | not declared, accepted | not declared, refused | …</summary>
        [property: JsonPropertyName("finding")] string Finding,
        /// <summary>The finding as a sentence a reader of capabilities.json understands without the code.</summary>
        [property: JsonPropertyName("summary")] string Summary);

    /// <summary>One scenario's use of a feature: how many requests, and their answers by HTTP status ("0" = no answer).</summary>
    public sealed record Seen(
        [property: JsonPropertyName("scenario")] string Scenario,
        [property: JsonPropertyName("requests")] int Requests,
        [property: JsonPropertyName("answers")] IReadOnlyDictionary<string, int> Answers);

    public static IReadOnlyList<Row> Build(JsonObject? discovery, IEnumerable<ScenarioRun> runs)
    {
        var capabilities = Capabilities.From(discovery);
        var uses = runs.SelectMany(r => r.Exchanges.Where(x => !ProbeNames.IsDeliberatelyInvalid(x.Step))
            .SelectMany(x => Uses(x).Select(u => (Feature: u.Feature, u.Value, r.Scenario, x)))).ToList();
        var features = Enum.GetValues<Feature>().SelectMany(f => capabilities.Declared(f)
            .Concat(uses.Where(u => u.Feature == f).Select(u => u.Value))
            .DefaultIfEmpty(f is Feature.WebhookDelivery or Feature.ClientSdkDelivery ? "true" : null)
            .OfType<string>().Distinct().Select(v => (f, v)));
        return features.Select(p =>
        {
            var seen = uses.Where(u => u.Feature == p.f && u.Value == p.v).GroupBy(u => u.Scenario)
                .Select(g => new Seen(g.Key.ToString(), g.Count(), g.GroupBy(u => u.x.GotResponse ? u.x.Status.ToString() : "0").ToDictionary(s => s.Key, s => s.Count())))
                .ToList();
            var declared = capabilities.Declares(p.f, p.v);
            var mine = uses.Where(u => u.Feature == p.f && u.Value == p.v).Select(u => u.x).ToList();
            var accepted = mine.Any(x => x.Accepted);
            // Refused only when a request for this very feature got a refusal of what it sent (400, 415, 422); a 401, a
            // 404 of a wrong URL, a 5xx or no answer never reached a decision about the feature.
            var refused = mine.Any(x => x.Status is 400 or 415 or 422);
            var outcome = seen.Count == 0 ? "not exercised" : accepted ? (declared ? "works" : "accepted") : refused ? "refused" : "not reached";
            var finding = (declared ? "declared, " : "not declared, ") + outcome;
            return new Row(Name(p.f), p.v, declared, Capabilities.Paths[p.f], seen, finding, Describe(p.f, p.v, declared, mine, outcome));
        }).ToList();
    }

    private static string Describe(Feature f, string value, bool declared, List<Exchange> requests, string outcome)
    {
        var where = declared ? $"advertised in {Capabilities.Paths[f]}" : "not advertised";
        if (requests.Count == 0) return $"{Name(f).Replace('_', ' ')} {value}: {where}; no request of this run used it.";
        var answers = string.Join(", ", requests.GroupBy(x => x.GotResponse ? $"HTTP {x.Status}" : "no answer").Select(g => $"{g.Count()}× {g.Key}"));
        var meaning = outcome switch
        {
            "works" or "accepted" => "accepted",
            "refused" => "refused by the server",
            _ => "never decided by the server (the requests failed for another reason)",
        };
        return $"{Name(f).Replace('_', ' ')} {value}: {where}; {requests.Count} request(s) used it ({answers}): {meaning}.";
    }

    public static void Write(string path, string discoveryUrl, HarnessOptions options, IReadOnlyList<Row> rows) =>
        File.WriteAllText(path, new JsonObject
        {
            ["discovery_url"] = Redactor.Scrub(discoveryUrl),
            ["profile"] = options.Profile,
            ["about"] = "declared: what the discovery document advertises; observed: per scenario, the valid requests of this run "
                + "that used the feature and the HTTP statuses they got (deliberately invalid requests excluded). Webhook and SDK delivery are not exercised by this harness.",
            ["capabilities"] = JsonSerializer.SerializeToNode(rows),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    private static string Name(Feature f) => f switch
    {
        Feature.UploadMethod => "upload_method",
        Feature.AudioFormat => "audio_format",
        Feature.Model => "model",
        Feature.Language => "language",
        Feature.WebhookDelivery => "webhook_delivery",
        _ => "client_sdk_delivery",
    };

    /// <summary>The features one request used: a Create body's upload_type, model and languages; an upload's Content-Type; a model_used answered.</summary>
    private static IEnumerable<(Feature Feature, string Value)> Uses(Exchange x)
    {
        if (x.Method == "POST" && x.RequestBody is { } text && text.StartsWith('{') && Parse(text) is { } body && body.ContainsKey("upload_type"))
        {
            if (Rules.TextOf(body["upload_type"]) is { } type) yield return (Feature.UploadMethod, type);
            if (Rules.TextOf(body["model"]) is { } model) yield return (Feature.Model, model);
            foreach (var language in (body["language_hint"] as JsonArray ?? []).Select(Rules.TextOf).Append(Rules.TextOf(body["transcript_language"])).OfType<string>().Distinct())
                yield return (Feature.Language, language);
        }
        if (x.Step.StartsWith("upload", StringComparison.Ordinal)
            && x.RequestHeaders.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value is { } format)
            yield return (Feature.AudioFormat, format);
        if (Rules.TextOf(x.JsonObject?["model_used"]) is { } used) yield return (Feature.Model, used);
    }

    private static JsonObject? Parse(string text)
    {
        try { return JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { return null; }
    }
}
