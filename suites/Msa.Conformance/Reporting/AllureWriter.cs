using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Reporting;

/// <summary>
/// Writes Allure 2 result files (read by Allure 3) for each check: labels from the requirement, one step per
/// scenario request, and request/response attachments for the evidence. Allure.NUnit is not available, so this is
/// the project's own writer; everything passes the redactor.
/// </summary>
public sealed class AllureWriter(string resultsDirectory, bool fullEvidence, ProtocolProfile? profile = null)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public string ResultsDirectory { get; } = resultsDirectory;

    /// <summary>Writes the check's result file; returns the id the Allure 3 report opens it under (index.html#id).</summary>
    public string Write(Check check, CheckResult result, IReadOnlyList<ScenarioRun> runs, DateTimeOffset start, DateTimeOffset stop)
    {
        Directory.CreateDirectory(ResultsDirectory);
        _inResult.Value!.Clear();
        var uuid = Guid.NewGuid().ToString();
        var evidence = result.Evidence.ToHashSet();
        var steps = new JsonArray();
        foreach (var run in runs)
            steps.Add(ScenarioStep(run, evidence, attachEvery: runs.Count == 1 && run.Exchanges.Count <= MaxAttachedExchanges));

        var attachments = new JsonArray();
        attachments.Add(Attach("Requirement", "text/plain", RequirementText(check)));
        foreach (var x in result.Evidence.Take(5))
        {
            attachments.Add(Attach($"Evidence request: {x.Step}", "text/plain", x.RequestText()));
            attachments.Add(Attach($"Evidence response: {x.Step}", "text/plain", x.ResponseText(fullEvidence)));
        }
        foreach (var run in runs.Where(r => r.Timeline.Count > 0))
            attachments.Add(Attach($"Polling timeline: {run.Scenario}", "text/csv", TimelineCsv(run)));
        if (runs.Count == 1)
            foreach (var extra in runs[0].Attachments)
                attachments.Add(Attach(extra.Name, extra.MediaType, extra.Content));

        var level = check.Requirement.Level;
        var outcome = Outcomes.Of(check, result);
        var status = outcome.AllureStatus();
        var message = outcome.MessagePrefix(level) + result.Message;
        var doc = new JsonObject
        {
            ["uuid"] = uuid,
            ["historyId"] = check.Id,
            ["testCaseId"] = check.Id,
            ["name"] = $"{check.Requirement.Id} · {check.Title}",
            ["fullName"] = check.Id,
            ["description"] = $"**{check.Requirement.Id}** ({CheckRecord.LevelName(level)}) — {check.Title}.\n\nSource: {check.Requirement.Source}. Scenario: {check.Scenario}.{AlsoCited(check)}",
            ["status"] = status,
            ["statusDetails"] = new JsonObject { ["message"] = Redactor.Scrub(message) },
            ["stage"] = "finished",
            ["start"] = start.ToUnixTimeMilliseconds(),
            ["stop"] = stop.ToUnixTimeMilliseconds(),
            ["labels"] = new JsonArray([
                Label("parentSuite", "MedScribeAlliance v0.1"),
                Label("suite", AreaTitle(check.Area)),
                Label("subSuite", Title(check.Id.Split('.')[1])),
                Label("epic", "MedScribeAlliance v0.1"),
                Label("feature", AreaTitle(check.Area)),
                Label("story", check.Requirement.Id),
                Label("severity", level switch { Level.Must => "critical", Level.Should => "normal", _ => "minor" }),
                Label("tag", CheckRecord.LevelName(level)),
                Label("framework", "nunit"),
                Label("language", "csharp"),
                .. check.RequirementIds.Select(id => Label("requirement", id))]),
            ["links"] = new JsonArray(new JsonObject { ["name"] = check.Requirement.Id, ["type"] = "tms", ["url"] = $"#requirement-{check.Requirement.Id}" }),
            ["parameters"] = new JsonArray(new JsonObject { ["name"] = "level", ["value"] = CheckRecord.LevelName(level) }),
            ["steps"] = steps,
            ["attachments"] = attachments,
        };
        File.WriteAllText(Path.Combine(ResultsDirectory, $"{uuid}-result.json"), doc.ToJsonString(Options));
        return ReportId(uuid);
    }

    /// <summary>
    /// Above this many requests in a scenario, only the evidence is attached: the steps still list every request, and
    /// the report stays small enough to render fast (the same scenario is shown under many checks).
    /// </summary>
    private const int MaxAttachedExchanges = 12;

    /// <summary>Requests whose full text a reader always wants: how the session (or webhook) was set up and ended.</summary>
    private static bool IsKeyStep(string step) =>
        step is "create" or "end" || step.StartsWith("register webhook", StringComparison.Ordinal);

    /// <summary>A step per request; a check over every scenario attaches only its evidence, to keep the report small.</summary>
    private JsonObject ScenarioStep(ScenarioRun run, HashSet<Exchange> evidence, bool attachEvery)
    {
        var children = new JsonArray();
        foreach (var x in run.Exchanges)
        {
            var isEvidence = evidence.Contains(x);
            var step = new JsonObject
            {
                ["name"] = Redactor.Scrub($"{x.Step}: {x.Summary()} ({x.Elapsed.TotalMilliseconds:0} ms)"),
                ["status"] = isEvidence ? "failed" : "passed",
                ["stage"] = "finished",
                ["start"] = x.StartedAt.ToUnixTimeMilliseconds(),
                ["stop"] = (x.StartedAt + x.Elapsed).ToUnixTimeMilliseconds(),
                ["steps"] = new JsonArray(),
                ["attachments"] = attachEvery || isEvidence || IsKeyStep(x.Step)
                    ? new JsonArray(Attach("Request", "text/plain", x.RequestText()), Attach("Response", "text/plain", x.ResponseText(fullEvidence)))
                    : new JsonArray(),
            };
            children.Add(step);
        }
        var stopped = run.Stopped is { } s ? $" — stopped: {s.Reason}" : "";
        return new JsonObject
        {
            ["name"] = Redactor.Scrub($"Scenario {run.Scenario}{(run.SessionId is { } id ? $" (session {id})" : "")}{stopped}"),
            ["status"] = run.Stopped is null ? "passed" : "skipped",
            ["stage"] = "finished",
            ["start"] = run.StartedAt.ToUnixTimeMilliseconds(),
            ["stop"] = (run.FinishedAt ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds(),
            ["steps"] = children,
            ["attachments"] = new JsonArray(),
        };
    }

    /// <summary>
    /// Attachment files are named by their content: the many checks that show the same exchange share one file (a
    /// run's 5000 references were 340 distinct texts), which keeps the results small and the rendering fast.
    /// </summary>
    private JsonObject Attach(string name, string type, string content)
    {
        var ext = type switch { "text/csv" => "csv", "application/json" => "json", _ => "txt" };
        var bytes = Encoding.UTF8.GetBytes(Redactor.Scrub(content));
        // Allure 3 keys an attachment by its source within one result: a text shown twice in one result (a step's
        // response and the same exchange as evidence) gets a file per occurrence.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..32];
        var occurrence = _inResult.Value![hash] = _inResult.Value.GetValueOrDefault(hash) + 1;
        var source = $"{hash}-{occurrence}-attachment.{ext}";
        if (_written.TryAdd(source, 0)) File.WriteAllBytes(Path.Combine(ResultsDirectory, source), bytes);
        return new JsonObject { ["name"] = name, ["source"] = source, ["type"] = type };
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _written = new(StringComparer.Ordinal);
    /// <summary>How often each text has been attached to the result being written (results are written one per thread at a time).</summary>
    private readonly ThreadLocal<Dictionary<string, int>> _inResult = new(() => []);

    /// <summary>Allure 3 names a test result by the MD5 of its uuid, as lowercase hex.</summary>
    public static string ReportId(string uuid) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(uuid)));

    private static JsonObject Label(string name, string value) => new() { ["name"] = name, ["value"] = value };

    public static string TimelineCsv(ScenarioRun run)
    {
        var sb = new StringBuilder("seconds_since_end,http_status,body_status,note\n");
        foreach (var p in run.Timeline)
            sb.Append($"{p.SecondsSinceEnd:0.000},{p.Status},{p.BodyStatus},{p.Note?.Replace(',', ';')}\n");
        return sb.ToString();
    }

    private string RequirementText(Check check) =>
        $"Check: {check.Id}\nRequirement: {check.Requirement.Id} ({CheckRecord.LevelName(check.Requirement.Level)})\nSource: {check.Requirement.Source}\nStatement: {check.Title}\nScenario: {check.Scenario}\n{AlsoCited(check)}";

    /// <summary>The also-cited rows this run credits: those of its profile only.</summary>
    private string AlsoCited(Check check) =>
        (profile is { } p ? check.AlsoCitesIn(p) : check.AlsoCites).ToList() is { Count: > 0 } also ? $" Also verifies: {string.Join(", ", also)}." : "";

    public static string AreaTitle(string area) => area switch
    {
        "get-session" => "Get Session",
        _ => Title(area),
    };

    private static string Title(string slug) => string.Join(' ', slug.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
