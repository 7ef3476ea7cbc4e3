using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using NJsonSchema.Validation.FormatValidators;

namespace Msa.Conformance;

/// <summary>
/// Validates bodies against the draft-07 files in schemas/. Text is validated as text (NJsonSchema would turn
/// ISO strings into dates otherwise), and date-time is checked strictly (RFC 3339 with an offset), because
/// NJsonSchema's own check accepts "2024-01-01" and times without a zone.
/// </summary>
public static partial class SchemaValidator
{
    public static string SchemaDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "schemas");

    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Cache = new();

    private static readonly JsonSchemaValidatorSettings Settings = CreateSettings();

    private static JsonSchemaValidatorSettings CreateSettings()
    {
        var settings = new JsonSchemaValidatorSettings();
        settings.FormatValidators = settings.FormatValidators
            .Where(v => v.Format != JsonFormatStrings.DateTime)
            .Append(new StrictDateTime()).ToArray();
        return settings;
    }

    /// <summary>
    /// The violations of `json` against schemas/{schemaFile}, or against one of its `definitions` when `definition`
    /// is given, as "path: problem" lines; empty when valid.
    /// </summary>
    public static IReadOnlyList<string> Validate(string schemaFile, string json, string? definition = null)
    {
        var schema = Cache.GetOrAdd(schemaFile, f => new Lazy<JsonSchema>(() =>
            JsonSchema.FromFileAsync(Path.Combine(SchemaDirectory, f)).GetAwaiter().GetResult())).Value;
        if (definition is not null)
            schema = schema.Definitions.TryGetValue(definition, out var part) ? part
                : throw new ArgumentException($"schemas/{schemaFile} has no definition '{definition}'", nameof(definition));
        ICollection<ValidationError> errors;
        try { errors = schema.Validate(json, Settings); }
        catch (Newtonsoft.Json.JsonException e) { return [$"the body is not valid JSON: {e.Message}"]; }
        return errors.SelectMany(Flatten).Select(Describe).Distinct().ToList();
    }

    private static IEnumerable<ValidationError> Flatten(ValidationError e) =>
        e is ChildSchemaValidationError c && c.Errors.Count > 0
            ? c.Errors.SelectMany(kv => kv.Value).SelectMany(Flatten) : [e];

    private static string Describe(ValidationError e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "#" : e.Path;
        var what = e.Kind switch
        {
            ValidationErrorKind.PropertyRequired => $"required field '{e.Property}' is missing",
            ValidationErrorKind.DateTimeExpected => "not an RFC 3339 date-time with a zone offset",
            _ => SplitWords(e.Kind.ToString()),
        };
        return $"{path}: {what}";
    }

    private static string SplitWords(string kind) => WordBoundary().Replace(kind, " $1").Trim().ToLowerInvariant();

    [GeneratedRegex("([A-Z])")]
    private static partial Regex WordBoundary();

    /// <summary>RFC 3339 section 5.6 date-time: full date, 'T', time, optional fraction, 'Z' or ±hh:mm; and a real date.</summary>
    public static bool IsRfc3339(string value) =>
        Rfc3339().IsMatch(value)
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    private sealed class StrictDateTime : IFormatValidator
    {
        public string Format => JsonFormatStrings.DateTime;
        public ValidationErrorKind ValidationErrorKind => ValidationErrorKind.DateTimeExpected;
        public bool IsValid(string value, JTokenType tokenType) => tokenType != JTokenType.String || IsRfc3339(value);
    }
}
