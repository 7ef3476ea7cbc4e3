using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Msa.Conformance.Reporting;

namespace Msa.Conformance.Cli;

/// <summary>
/// conformance-report.html: one self-contained page a certifier can read offline and print — who was tested, with
/// what, the verdict, every requirement's result by area, the polling timelines and the declared capabilities.
/// </summary>
public static class ConformanceReport
{
    public const string FileName = "conformance-report.html";

    public static string Write(string reportDir, Summary summary, HarnessOptions options)
    {
        var html = new StringBuilder();
        var verdictClass = summary.Verdict == "conformant" ? "pass" : summary.Verdict == "not_conformant" ? "fail" : "warn";
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>MedScribeAlliance v0.1 conformance — {{E(summary.Target)}}</title>
            <style>{{Css}}</style></head><body>
            <h1>MedScribeAlliance v0.1 conformance report</h1>
            <p><span class="badge verdict {{verdictClass}}">{{E(summary.Verdict.Replace('_', ' '))}}</span>
            <span class="small">exit code {{summary.ExitCode}} · {{E(Counts(summary))}}</span></p>
            <table class="meta">
            <tr><td>Target</td><td>{{E(summary.Target)}}{{(summary.Embedded ? " (embedded reference server)" : "")}}</td></tr>
            <tr><td>API base</td><td>{{E(summary.BaseUrl ?? "")}}</td></tr>
            <tr><td>Profile</td><td>{{E(summary.Profile)}}</td></tr>
            <tr><td>Date</td><td>{{summary.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss")}} – {{summary.FinishedAt.UtcDateTime.ToString("HH:mm:ss")}} UTC</td></tr>
            <tr><td>Harness</td><td>{{Harnesses(summary)}}</td></tr>
            <tr><td>Configuration hash</td><td><code>{{ConfigurationHash(options)}}</code> <span class="small">(SHA-256 of effective-config.json; secrets excluded)</span></td></tr>
            <tr><td>TLS certificates</td><td>{{(summary.Insecure ? "<b>NOT verified (--insecure)</b>" : "verified")}}</td></tr>
            <tr><td>Server clock offset</td><td>{{ClockOffset(summary)}}</td></tr>
            <tr><td>Evidence</td><td><a href="allure-report/index.html">Allure report</a> (every check's requests and responses) · summary.json (SHA-256 of every report file)</td></tr>
            </table>
            """);
        foreach (var note in summary.Notes) html.Append($"<p class=\"small\">Note: {E(note)}</p>");

        html.Append(RootCauses(summary));
        html.Append(Coverage(summary));
        html.Append("<h2>Requirements by area</h2>");
        foreach (var area in summary.Checks.GroupBy(c => c.Id.Split('.')[0]))
        {
            // The heading counts verdicts only: not applicable and inconclusive rows are shown, not counted as lost.
            var passed = area.Count(c => c.Status == "passed");
            var verdicts = area.Count(c => c.Status is "passed" or "failed" or "warning");
            var none = area.Count() - verdicts;
            html.Append($"<h3>{E(AllureWriter.AreaTitle(area.Key))} <span class=\"small\">{passed} of {verdicts} verdicts passed"
                + (none > 0 ? $" · {none} without a verdict" : "") + "</span></h3>");
            html.Append("<table><tr><th>Requirement</th><th>Level</th><th>Statement</th><th>Result</th></tr>");
            foreach (var c in area.OrderBy(c => c.RequirementId, StringComparer.Ordinal))
            {
                var css = c.Status switch { "passed" => "pass", "failed" => "fail", "warning" or "inconclusive" => "warn", _ => "na" };
                var label = c.Status.Replace('_', ' ') + (NonVerdicts.Kind(c.Status, c.Message) is { } kind ? $" · {kind}" : "");
                var message = c.Status == "passed" ? "" : $"<div class=\"msg\">{E(FirstLines(c.Message, 3))}</div>";
                var link = c.AllureResultId is { } id ? $"allure-report/index.html#{id}" : "allure-report/index.html";
                var also = c.AlsoRequirementIds is { } more ? $"<div class=\"small\">also {E(string.Join(", ", more))}</div>" : "";
                html.Append($"<tr><td><a href=\"{link}\" title=\"{E(c.Id)}\">{E(c.RequirementId)}</a>{also}</td><td>{c.Level}</td>"
                    + $"<td>{E(c.Title)}<div class=\"small\">{E(c.Source)}</div>{message}</td><td><span class=\"badge {css}\">{E(label)}</span></td></tr>");
            }
            html.Append("</table>");
        }

        html.Append(Timelines(reportDir));
        html.Append(Capabilities(reportDir));
        html.Append("<p class=\"small\">Levels: a failed MUST makes the server not conformant; a failed SHOULD or MAY is a warning. Inconclusive and not applicable are not verdicts: the message says why.</p>");
        html.Append("</body></html>");
        var path = Path.Combine(reportDir, FileName);
        File.WriteAllText(path, Http.Redactor.Scrub(html.ToString()));
        return path;
    }

    /// <summary>The few causes behind most non-verdicts (three or more rows each), so a reader fixes the set-up first.</summary>
    private static string RootCauses(Summary summary)
    {
        var causes = summary.Checks.Where(c => c.Status is "inconclusive" or "not_applicable" && NonVerdicts.Kind(c.Status, c.Message) != "other profile")
            .GroupBy(c => NonVerdicts.CauseOf(c.Message)).Where(g => g.Count() >= 3).OrderByDescending(g => g.Count()).Take(5).ToList();
        if (causes.Count == 0) return "";
        var sb = new StringBuilder("<h2>Root causes of the non-verdicts</h2><ul>");
        foreach (var g in causes)
            sb.Append($"<li><b>{g.Count()} rows</b>: {E(g.Key)} <span class=\"small\">({E(string.Join(", ", g.Select(c => c.RequirementId).Distinct().Take(8)))}{(g.Count() > 8 ? ", …" : "")})</span></li>");
        return sb.Append("</ul>").ToString();
    }

    /// <summary>How much of the requirement catalogue this harness checks, by area, and what this run found.</summary>
    private static string Coverage(Summary summary)
    {
        var cited = summary.Checks.SelectMany(c => c.RequirementIds.Select(id => (Id: id, Check: c)))
            .GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.Select(p => p.Check).ToList());
        var sb = new StringBuilder("<h2>Requirement coverage</h2><p class=\"small\">Requirements of the catalogue (requirements.md) "
            + "that at least one check of this harness cites; every MUST row without a check has a stated reason (suites/requirements.csv): it needs set-up an unattended run does not have, it is not assessed by this version, or no failing verdict is possible from outside.</p>"
            + "<table><tr><th>Area</th><th>Requirements</th><th>MUST</th><th>MUST checked</th><th>MUST with a reason</th><th>All checked</th><th>Passed</th><th>Failed</th><th>Warning</th><th>No verdict</th></tr>");
        foreach (var area in RequirementCatalogue.All.GroupBy(r => r.Area))
        {
            var rows = area.ToList();
            var checkedRows = rows.Where(r => cited.ContainsKey(r.Id)).ToList();
            var results = checkedRows.SelectMany(r => cited[r.Id]).ToList();
            sb.Append($"<tr><td>{E(area.Key)}</td><td>{rows.Count}</td><td>{rows.Count(r => r.Level == "MUST")}</td>"
                + $"<td>{checkedRows.Count(r => r.Level == "MUST")}</td>"
                + $"<td>{rows.Count(r => r.Level == "MUST" && !cited.ContainsKey(r.Id) && r.NotTestableReason.Length > 0)}</td><td>{checkedRows.Count}</td>"
                + $"<td>{results.Count(c => c.Status == "passed")}</td><td>{results.Count(c => c.Status == "failed")}</td><td>{results.Count(c => c.Status == "warning")}</td>"
                + $"<td>{results.Count(c => c.Status is "inconclusive" or "not_applicable" or "error")}</td></tr>");
        }
        return sb.Append("</table>").ToString();
    }

    /// <summary>Each scenario's polls as dots on a small chart: time since End on x, HTTP status on y.</summary>
    private static string Timelines(string reportDir)
    {
        var file = Path.Combine(reportDir, "polling.json");
        if (!File.Exists(file)) return "";
        var doc = JsonNode.Parse(File.ReadAllText(file))!;
        var sb = new StringBuilder("<h2>Polling timelines</h2><p class=\"small\">Every Get Session poll after End Session, at a "
            + $"{doc["cadence_ms"]} ms cadence, each drawn where it was sent with a bar to its answer: grey 202, green 200/206, amber 410, red anything else.</p><table><tr><th>Scenario</th><th>Timeline</th><th>Polls</th></tr>");
        foreach (var s in doc["scenarios"]!.AsArray())
        {
            var polls = s!["polls"]!.AsArray().Select(p => ((double)p!["started_ms"]!, (int)p["status"]!, (string?)p["body_status"], (double?)p["elapsed_ms"] ?? 0)).ToList();
            var span = Math.Max(1000, polls.Max(p => p.Item1 + p.Item4));
            // Each poll is drawn where it was sent, with a bar to where its answer came: slow answers show as long bars
            // and the real gaps between polls, not an even row of dots.
            var dots = string.Concat(polls.Select((p, i) =>
            {
                var x = 10 + p.Item1 / span * 380;
                var end = 10 + (p.Item1 + p.Item4) / span * 380;
                var (y, color) = p.Item2 switch { 202 => (30, "#9aa3b5"), 200 or 206 => (12, "#2f9e44"), 410 => (12, "#e8a200"), _ => (48, "#d63939") };
                var gap = i == 0 ? "" : $", {(p.Item1 - polls[i - 1].Item1) / 1000:0.0} s after the previous poll";
                return $"<line x1=\"{x:0.0}\" y1=\"{y}\" x2=\"{end:0.0}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"2\"/>"
                    + $"<circle cx=\"{x:0.0}\" cy=\"{y}\" r=\"4\" fill=\"{color}\"><title>{p.Item1 / 1000:0.0} s: {p.Item2} {E(p.Item3 ?? "")}, answered in {p.Item4 / 1000:0.0} s{gap}</title></circle>";
            }));
            var last = polls[^1];
            sb.Append($"<tr><td>{E((string)s["scenario"]!)}</td><td><svg width=\"400\" height=\"60\" role=\"img\" aria-label=\"polling timeline\">"
                + $"<line x1=\"10\" y1=\"30\" x2=\"390\" y2=\"30\" stroke=\"#e3e6ec\"/>{dots}</svg></td>"
                + $"<td class=\"small\">{polls.Count} polls over {last.Item1 / 1000:0.0} s; last {last.Item2} {E(last.Item3 ?? "")}</td></tr>");
        }
        return sb.Append("</table>").ToString();
    }

    /// <summary>Declared (discovery) against observed capabilities, when the run wrote capabilities.json.</summary>
    private static string Capabilities(string reportDir)
    {
        var file = Path.Combine(reportDir, "capabilities.json");
        if (!File.Exists(file)) return "";
        var doc = JsonNode.Parse(File.ReadAllText(file));
        var rows = doc switch
        {
            JsonArray a => a.OfType<JsonObject>().ToList(),
            JsonObject o when o["capabilities"] is JsonArray a => a.OfType<JsonObject>().ToList(),
            _ => [],
        };
        if (rows.Count == 0) return "";
        var columns = rows.SelectMany(r => r.Select(p => p.Key)).Distinct().ToList();
        var sb = new StringBuilder("<h2>Declared and observed capabilities</h2><table><tr>");
        foreach (var c in columns) sb.Append($"<th>{E(c.Replace('_', ' '))}</th>");
        sb.Append("</tr>");
        foreach (var r in rows)
            sb.Append("<tr>").Append(string.Concat(columns.Select(c => $"<td>{E(r[c] is JsonValue v ? v.ToString() : r[c]?.ToJsonString() ?? "")}</td>"))).Append("</tr>");
        return sb.Append("</table>").ToString();
    }

    /// <summary>Which harness observed and which judged: one line when they are the same run, both after --rejudge.</summary>
    private static string Harnesses(Summary summary)
    {
        var judged = $"MSA Conformance {E(summary.HarnessVersion)}, commit {E(summary.HarnessCommit ?? "unknown")}";
        if (summary.RejudgedFrom is null) return judged;
        var o = summary.ObservedBy;
        return $"judged by {judged}, offline from <code>{E(summary.RejudgedFrom)}</code>; observed by MSA Conformance {E(o?.HarnessVersion ?? "unknown")}, "
            + $"commit {E(o?.HarnessCommit ?? "unknown")}, at {o?.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";
    }

    public static string ConfigurationHash(HarnessOptions options) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.ToRedactedJson())));

    /// <summary>The commit of the harness checkout, so a report names exactly which harness judged.</summary>
    public static string HarnessCommit()
    {
        try
        {
            var psi = new ProcessStartInfo("git", ["-C", Paths.RepoRoot, "rev-parse", "--short=12", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var commit = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            if (p.ExitCode != 0 || commit.Length == 0) return "unknown";
            using var status = Process.Start(new ProcessStartInfo("git", ["-C", Paths.RepoRoot, "status", "--porcelain", "--untracked-files=no"]) { RedirectStandardOutput = true })!;
            var dirty = status.StandardOutput.ReadToEnd().Trim().Length > 0;
            status.WaitForExit(5000);
            return dirty ? commit + " (with local changes)" : commit;
        }
        catch (System.ComponentModel.Win32Exception) { return "unknown"; }
    }

    private const string Css = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#1d2330;padding:0 1em}
            h1{font-size:1.5em;margin:.2em 0} h2{font-size:1.15em;margin:1.6em 0 .5em;border-bottom:1px solid #d7dbe3;padding-bottom:.2em}
            table{border-collapse:collapse;width:100%} th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid #eceef3;vertical-align:top}
            th{background:#f5f6f9;font-weight:600} .meta td:first-child{width:14em;color:#5a6375}
            .badge{display:inline-block;padding:.15em .6em;border-radius:.8em;font-weight:600;font-size:.85em}
            .pass{background:#dff5e3;color:#16652b} .fail{background:#fde2e1;color:#9b1c1c} .warn{background:#fff2cc;color:#7a5a00} .na{background:#eceef3;color:#4a5263}
            .verdict{font-size:1.3em;padding:.3em .9em} .msg{color:#4a5263;font-size:.9em;white-space:pre-wrap;max-width:38em}
            svg{background:#fafbfc;border:1px solid #eceef3} .small{color:#5a6375;font-size:.85em}
            @media print{body{margin:0;max-width:none} a{color:inherit;text-decoration:none} h2{break-after:avoid} tr{break-inside:avoid}}
        """;

    private static string ClockOffset(Summary s) => s.ClockOffsetSeconds is { } o ? $"{o:+0.0;-0.0;0} s" : "unknown";

    private static string Counts(Summary s) =>
        string.Join(", ", s.Counts.OrderBy(k => k.Key).Select(k => $"{k.Value} {k.Key.Replace('_', ' ')}"));

    private static string FirstLines(string text, int n) => string.Join("\n", text.Split('\n').Take(n));

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
