using System.Text.Json;
using System.Text.Json.Serialization;
using Msa.Conformance.Checks;

namespace Msa.Conformance.Reporting;

/// <summary>One line of summary.json's "checks": what was checked, against which requirement, and the verdict.</summary>
public sealed record CheckRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("requirement_id")] string RequirementId,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string Message)
{
    /// <summary>Where the Allure report shows this check: allure-report/index.html#{id}.</summary>
    [JsonPropertyName("allure_result_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AllureResultId { get; init; }

    /// <summary>Other requirements the same rule verifies (Check.AlsoCites); counted in the coverage.</summary>
    [JsonPropertyName("also_requirement_ids")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? AlsoRequirementIds { get; init; }

    /// <summary>Every requirement this record speaks for.</summary>
    [JsonIgnore]
    public IEnumerable<string> RequirementIds => [RequirementId, .. AlsoRequirementIds ?? []];

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string LevelName(Level level) => level.ToString().ToUpperInvariant();

    /// <summary>The verdict's name at a level (see <see cref="Outcomes"/>, the one vocabulary).</summary>
    public static string StatusName(Verdict verdict, Checks.Level level = Checks.Level.Must) => Outcomes.Of(verdict, level).Name();

    /// <summary>The record of one check's result; only the also-cited rows of the run's profile are credited.</summary>
    public static CheckRecord From(Check check, CheckResult result, ProtocolProfile profile)
    {
        var also = check.AlsoCitesIn(profile).ToList();
        return new(check.Id, check.Title, check.Requirement.Id, LevelName(check.Requirement.Level), check.Requirement.Source,
            Outcomes.Of(check, result).Name(), Http.Redactor.Scrub(result.Message))
        {
            AlsoRequirementIds = also.Count > 0 ? also : null,
        };
    }
}
