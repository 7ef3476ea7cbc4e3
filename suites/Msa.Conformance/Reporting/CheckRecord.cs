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
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string LevelName(Level level) => level.ToString().ToUpperInvariant();

    public static string StatusName(Verdict verdict) => verdict switch
    {
        Verdict.Passed => "passed",
        Verdict.Failed => "failed",
        Verdict.Inconclusive => "inconclusive",
        Verdict.NotApplicable => "not_applicable",
        _ => "error",
    };

    public static CheckRecord From(Check check, CheckResult result) => new(
        check.Id, check.Title, check.Requirement.Id, LevelName(check.Requirement.Level), check.Requirement.Source,
        StatusName(result.Verdict), Http.Redactor.Scrub(result.Message));
}
