using System.Diagnostics;

namespace Msa.Conformance.Cli;

/// <summary>The report folder: emptied of the previous run's results, then given the run's metadata for Allure.</summary>
public static class ReportFiles
{
    public static void Prepare(string reportDir, HarnessOptions options)
    {
        Directory.CreateDirectory(reportDir);
        foreach (var sub in new[] { "checks", "allure-results", "allure-report" })
        {
            var path = Path.Combine(reportDir, sub);
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        foreach (var file in new[] { "summary.json", "junit.xml", "progress.log", "polling.json", "capabilities.json" })
            File.Delete(Path.Combine(reportDir, file));
        var results = Path.Combine(reportDir, "allure-results");
        Directory.CreateDirectory(results);
        Directory.CreateDirectory(Path.Combine(reportDir, "checks"));
        File.WriteAllLines(Path.Combine(results, "environment.properties"),
        [
            $"Target={options.Target}",
            $"Profile={options.Profile}",
            $"Harness=MSA Conformance {Paths.Version}",
            $"Auth={options.EffectiveAuth}",
            $"Polling.IntervalMs={options.Polling.IntervalMs}",
            $"Polling.DeadlineSeconds={options.Polling.DeadlineSeconds}",
            $"Strict={options.Strict}",
            $"TLS.CertificatesVerified={!options.Insecure}",
        ]);
        File.WriteAllText(Path.Combine(reportDir, "effective-config.json"), options.ToRedactedJson());
        WriteCategories(results);
    }

    /// <summary>
    /// Allure 3 takes the failure categories from suites/report/allurerc.json; Allure 2 readers (Jenkins' plugin, TestOps)
    /// only from categories.json among the results: the same list, written there too.
    /// </summary>
    private static void WriteCategories(string results)
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AllureReport.ToolDir, "allurerc.json")));
        if (config?["categories"] is { } categories) File.WriteAllText(Path.Combine(results, "categories.json"), categories.ToJsonString());
    }

    /// <summary>Each repetition starts with no check records; Allure keeps every repetition's results (shown as retries).</summary>
    public static void ClearCheckRecords(string reportDir)
    {
        var checks = Path.Combine(reportDir, "checks");
        if (Directory.Exists(checks)) Directory.Delete(checks, recursive: true);
        Directory.CreateDirectory(checks);
    }

    /// <summary>SHA-256 of every file of the report (summary.json excepted: it carries this list).</summary>
    public static SortedDictionary<string, string> Manifest(string reportDir)
    {
        var manifest = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(reportDir, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(reportDir, file).Replace('\\', '/');
            // Not this run's evidence: the self-tests' output and the committed example report.
            if (relative is "summary.json" or "build.log" || relative.StartsWith("self-test/", StringComparison.Ordinal)
                || relative.StartsWith("example/", StringComparison.Ordinal)) continue;
            using var stream = File.OpenRead(file);
            manifest[relative] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        }
        return manifest;
    }
}

/// <summary>Renders the single-file Allure 3 HTML report with the npm package the project pins (suites/report).</summary>
public static class AllureReport
{
    /// <summary>The pinned renderer and its configuration, allurerc.json.</summary>
    public static readonly string ToolDir = Path.Combine(Paths.RepoRoot, "suites", "report");

    public static async Task<string?> RenderAsync(string reportDir)
    {
        var tool = ToolDir;
        var allure = Path.Combine(tool, "node_modules", ".bin", "allure");
        if (!File.Exists(allure))
        {
            Console.Error.WriteLine($"Allure is not installed in {tool}: run ./run.sh (it runs npm ci there).");
            return null;
        }
        var output = Path.Combine(reportDir, "allure-report");
        var psi = new ProcessStartInfo(allure) { WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "generate", Path.Combine(reportDir, "allure-results"), "--config", Path.Combine(tool, "allurerc.json"), "-o", output })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(true); Console.Error.WriteLine("allure generate did not finish within 3 minutes."); return null; }
        var html = Path.Combine(output, "index.html");
        if (p.ExitCode != 0 || !File.Exists(html))
        {
            Console.Error.WriteLine($"allure generate failed ({p.ExitCode}): {await stderr}{await stdout}");
            return null;
        }
        OfflineOnly(html);
        return html;
    }

    /// <summary>Allure 3.18 hard-codes a Google Analytics tag; a certifier's report must open offline and call nobody.</summary>
    private static void OfflineOnly(string html)
    {
        var text = File.ReadAllText(html);
        var cleaned = System.Text.RegularExpressions.Regex.Replace(text,
            @"<script[^>]*googletagmanager[^>]*>\s*</script>|<script>[^<]*gtag\([^<]*</script>", "",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (cleaned != text) File.WriteAllText(html, cleaned);
    }
}
