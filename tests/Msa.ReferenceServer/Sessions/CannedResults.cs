using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Sessions;

/// <summary>
/// What "processing" produces: one canned English consultation. Known templates: <c>eka_emr_template</c> (one
/// document), <c>clinical_notes_template</c> (two documents, so it appears twice in the list), <c>transcript_template</c>
/// (one document). Every call builds fresh JSON nodes.
/// </summary>
internal static class CannedResults
{
    /// <summary>The known templates in catalogue order: what GET {base}/templates lists and what processing produces.</summary>
    public static readonly IReadOnlyList<KnownTemplate> Catalogue =
    [
        new("eka_emr_template", "EMR record", "A structured record: complaint, symptoms, vitals, diagnosis, medications, advice.",
            _ => [EmrRecord()]),
        new("clinical_notes_template", "Clinical notes", "Two notes: history of present illness, then assessment and plan.",
            _ => [HistoryNote(), AssessmentNote()]),
        new("transcript_template", "Transcript", "The conversation as text, speaker by speaker.",
            files => [new JsonObject { ["transcript"] = Transcript(files) }]),
    ];

    private static readonly FrozenDictionary<string, Func<IReadOnlyList<string>, JsonObject[]>> Templates =
        Catalogue.ToFrozenDictionary(t => t.Id, t => t.Documents, StringComparer.Ordinal);

    public static bool IsKnown(string templateId) => Templates.ContainsKey(templateId);

    /// <summary>The documents of every known requested template, in request order (each template once).</summary>
    public static IReadOnlyList<TemplateDocument> DocumentsFor(IEnumerable<string> requestedTemplates, IReadOnlyList<string> audioFiles) =>
        requestedTemplates.Distinct(StringComparer.Ordinal)
            .Where(IsKnown)
            .SelectMany(id => Templates[id](audioFiles).Select(data => new TemplateDocument(id, NewDocumentId(), data)))
            .ToList();

    /// <summary>What was spoken in the session's audio, when the server knows it (SpokenText); the canned dialogue otherwise.</summary>
    public static string Transcript(IReadOnlyList<string> audioFiles, IReadOnlyList<string?> spoken) =>
        spoken.OfType<string>().ToList() is { Count: > 0 } known
            ? string.Join("\n", known) + $"\n[Transcribed from {audioFiles.Count} audio file{(audioFiles.Count == 1 ? "" : "s")}: {string.Join(", ", audioFiles)}.]"
            : Transcript(audioFiles);

    public static string Transcript(IReadOnlyList<string> audioFiles) =>
        "Doctor: Good morning. What brings you in today?\n"
        + "Patient: I have had a cough and a fever for the last three days.\n"
        + "Doctor: Is the cough dry, or are you bringing up phlegm?\n"
        + "Patient: Mostly dry. The fever goes up in the evenings, to about a hundred degrees.\n"
        + "Doctor: Your chest is mostly clear. This looks like acute bronchitis. Take paracetamol 500 mg three times a day "
        + "for three days, drink plenty of fluids, and come back if you are not better within a week.\n"
        + "Patient: Thank you, doctor.\n"
        + $"[Transcribed from {audioFiles.Count} audio file{(audioFiles.Count == 1 ? "" : "s")}: {string.Join(", ", audioFiles)}.]";

    private static string NewDocumentId() => "doc_" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    private static JsonObject EmrRecord() => new()
    {
        ["chief_complaint"] = "cough and fever",
        ["symptoms"] = new JsonArray(
            new JsonObject { ["name"] = "cough", ["duration"] = "3 days", ["character"] = "dry" },
            new JsonObject { ["name"] = "fever", ["duration"] = "3 days", ["pattern"] = "evening rise" }),
        ["vitals"] = new JsonObject { ["temperature_f"] = 100.0 },
        ["diagnosis"] = new JsonArray(new JsonObject { ["name"] = "Acute bronchitis" }),
        ["medications"] = new JsonArray(new JsonObject
        {
            ["name"] = "Paracetamol", ["dose"] = "500 mg", ["frequency"] = "three times a day", ["duration"] = "3 days",
        }),
        ["advice"] = new JsonArray("Drink plenty of fluids", "Return if not better within a week"),
    };

    private static JsonObject HistoryNote() => new()
    {
        ["section"] = "history",
        ["history_of_present_illness"] = "Dry cough and fever for three days, fever worse in the evenings.",
    };

    private static JsonObject AssessmentNote() => new()
    {
        ["section"] = "assessment_and_plan",
        ["assessment"] = "Acute bronchitis",
        ["plan"] = "Paracetamol 500 mg three times a day for three days; fluids; review in a week if not better.",
    };
}

/// <summary>A template the server offers: its catalogue entry and the documents processing makes from the audio files.</summary>
internal sealed record KnownTemplate(string Id, string Name, string Description, Func<IReadOnlyList<string>, JsonObject[]> Documents)
{
    public JsonObject ToCatalogueEntry() => new() { ["id"] = Id, ["name"] = Name, ["description"] = Description };
}
