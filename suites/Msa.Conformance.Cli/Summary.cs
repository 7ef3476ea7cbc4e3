using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Msa.Conformance.Reporting;

namespace Msa.Conformance.Cli;

/// <summary>summary.json: the run's verdict for machines (vendors' CI), built from the per-check records.</summary>
public sealed class Summary
{
    [JsonPropertyName("target")] public required string Target { get; init; }
    [JsonPropertyName("embedded_reference_server")] public bool Embedded { get; init; }
    [JsonPropertyName("profile")] public required string Profile { get; init; }
    [JsonPropertyName("harness_version")] public required string HarnessVersion { get; init; }
    [JsonPropertyName("started_at")] public DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("finished_at")] public DateTimeOffset FinishedAt { get; init; }
    [JsonPropertyName("harness_commit")] public string? HarnessCommit { get; init; }
    /// <summary>The harness that made the requests; harness_version and harness_commit name the one that judged (they differ after --rejudge).</summary>
    [JsonPropertyName("observed_by")] public Observer? ObservedBy { get; init; }
    /// <summary>Set by --rejudge: the report directory whose observations.json these verdicts were judged from.</summary>
    [JsonPropertyName("rejudged_from")] public string? RejudgedFrom { get; init; }
    [JsonPropertyName("configuration_sha256")] public string? ConfigurationHash { get; init; }
    [JsonPropertyName("strict")] public bool Strict { get; init; }
    [JsonPropertyName("insecure_tls")] public bool Insecure { get; init; }
    [JsonPropertyName("api_base_url")] public string? BaseUrl { get; init; }
    [JsonPropertyName("clock_offset_seconds")] public double? ClockOffsetSeconds { get; init; }
    [JsonPropertyName("notes")] public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>conformant | not_conformant | inconclusive (strict only) | error</summary>
    [JsonPropertyName("verdict")] public required string Verdict { get; init; }
    [JsonPropertyName("exit_code")] public int ExitCode { get; init; }
    [JsonPropertyName("counts")] public required Dictionary<string, int> Counts { get; init; }
    [JsonPropertyName("checks")] public required List<CheckRecord> Checks { get; init; }
    /// <summary>With --repeat: how many runs, and every check whose verdict changed between them.</summary>
    [JsonPropertyName("repeat")] public RepeatRecord? Repeat { get; init; }
    /// <summary>SHA-256 of every other file in the report directory, so a certifier can tell the evidence is intact.</summary>
    [JsonPropertyName("evidence_manifest")] public SortedDictionary<string, string> Manifest { get; private set; } = [];

    public sealed record Observer(
        [property: JsonPropertyName("harness_version")] string HarnessVersion,
        [property: JsonPropertyName("harness_commit")] string? HarnessCommit,
        [property: JsonPropertyName("at")] DateTimeOffset At);

    public sealed record RepeatRecord(
        [property: JsonPropertyName("runs")] int Runs,
        [property: JsonPropertyName("changed")] List<ChangedVerdict> Changed);

    public sealed record ChangedVerdict(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("statuses")] List<string> Statuses);

    /// <summary>Worst first: a verdict seen once in any repetition is the one reported.</summary>
    private static readonly string[] Severity = ["error", "failed", "warning", "inconclusive", "not_applicable", "passed"];

    public static List<CheckRecord> ReadCheckRecords(string reportDir) =>
        Directory.Exists(Path.Combine(reportDir, "checks"))
            ? Directory.GetFiles(Path.Combine(reportDir, "checks"), "*.json")
                .Select(f => JsonSerializer.Deserialize<CheckRecord>(File.ReadAllText(f))!).OrderBy(c => c.Id).ToList()
            : [];

    public static Summary Write(string reportDir, HarnessOptions options, DateTimeOffset started, DateTimeOffset finished, bool embedded,
        PreflightResult preflight, IReadOnlyList<IReadOnlyList<CheckRecord>> runs, Observer? observedBy = null, string? rejudgedFrom = null)
    {
        var commit = ConformanceReport.HarnessCommit();
        var byId = runs.SelectMany(r => r).GroupBy(c => c.Id).ToList();
        var checks = byId.Select(g => g.OrderBy(c => Array.IndexOf(Severity, c.Status)).First()).OrderBy(c => c.Id).ToList();
        var changed = byId.Where(g => g.Select(c => c.Status).Distinct().Count() > 1 || g.Count() < runs.Count)
            .Select(g => new ChangedVerdict(g.Key, g.Select(c => c.Status).ToList())).ToList();
        var mustFailed = checks.Any(c => c is { Status: "failed", Level: "MUST" });
        var inconclusive = checks.Any(c => c.Status == "inconclusive");
        var error = checks.Any(c => c.Status == "error");
        var (verdict, exit) = error ? ("error", Cli.ExitCode.CouldNotRun)
            : mustFailed ? ("not_conformant", Cli.ExitCode.NotConformant)
            : options.Strict && inconclusive ? ("inconclusive", Cli.ExitCode.NotConformant)
            : ("conformant", Cli.ExitCode.Conformant);
        var summary = new Summary
        {
            Target = options.Target, Embedded = embedded, Profile = options.Profile, HarnessVersion = Paths.Version,
            StartedAt = started, FinishedAt = finished, Strict = options.Strict, Verdict = verdict, ExitCode = exit,
            Insecure = options.Insecure, BaseUrl = preflight.BaseUrl, ClockOffsetSeconds = preflight.ClockOffsetSeconds, Notes = preflight.Notes,
            Counts = checks.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count()),
            Checks = checks,
            Repeat = runs.Count > 1 ? new RepeatRecord(runs.Count, changed) : null,
            ConfigurationHash = ConformanceReport.ConfigurationHash(options),
            HarnessCommit = commit,
            ObservedBy = observedBy ?? new Observer(Paths.Version, commit, started),
            RejudgedFrom = rejudgedFrom,
        };
        summary.Save(reportDir);
        return summary;
    }

    /// <summary>Writes summary.json with the manifest of every other report file as it is now (call after the last file is written).</summary>
    public void Save(string reportDir)
    {
        Manifest = ReportFiles.Manifest(reportDir);
        File.WriteAllText(Path.Combine(reportDir, "summary.json"), JsonSerializer.Serialize(this, CheckRecord.Json));
    }

    /// <summary>The console view: every check that did not pass, then the counts.</summary>
    private static readonly string[] ConsoleOrder = ["failed", "warning", "inconclusive", "not_applicable", "error"];

    /// <summary>
    /// The lines of a message a console shows: for a failure, its "Expected:" and "Received:" lines (what came back,
    /// not only what was wanted); otherwise the first line.
    /// </summary>
    private static IEnumerable<string> ConsoleLines(string message)
    {
        var lines = message.Split('\n');
        var expected = lines.FirstOrDefault(l => l.StartsWith("Expected:", StringComparison.Ordinal));
        var received = lines.FirstOrDefault(l => l.StartsWith("Received:", StringComparison.Ordinal));
        return expected is not null && received is not null ? [expected, received] : [lines[0]];
    }

    public string Table()
    {
        var sb = new StringBuilder();
        // Failures first, then warnings, inconclusive, not applicable, errors: what a reader must act on, first.
        foreach (var c in Checks.Where(c => c.Status != "passed").OrderBy(c => Array.IndexOf(ConsoleOrder, c.Status)).ThenBy(c => c.Id))
        {
            sb.AppendLine($"  {c.Status.ToUpperInvariant(),-14} {c.Level,-6} {c.RequirementId,-11} {c.Title}");
            foreach (var line in ConsoleLines(c.Message))
                sb.AppendLine($"  {"",-14} {"",-6} {"",-11} {(line.Length > 160 ? line[..160] + "…" : line)}");
        }
        if (Repeat is { } r)
            sb.AppendLine(r.Changed.Count == 0 ? $"Repeat: {r.Runs} runs, no verdict changed."
                : $"Repeat: {r.Runs} runs; verdict changed for " + string.Join(", ", r.Changed.Select(c => $"{c.Id} ({string.Join("→", c.Statuses)})")));
        sb.Append("Checks: " + string.Join(", ", new[] { "passed", "failed", "warning", "inconclusive", "not_applicable", "error" }
            .Select(s => $"{Counts.GetValueOrDefault(s)} {s}")));
        return sb.ToString();
    }
}
