using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Msa.Conformance.Tests;

/// <summary>
/// Jenkins' Allure plugin and Allure TestOps read the Allure 2 result format. The results of a run with a failing check
/// are rendered with Allure 2.46 (npm allure-commandline in tests/allure2, Java 17) and compared with what Allure 3
/// (the report the harness renders) made of the same results: totals, test statuses, the suite tree, steps and attachments.
/// </summary>
[TestFixture]
public class AllureTwoTests
{
    [Test]
    public async Task TheResultsRenderInAllure2WithTheTotalsSuitesStepsAndAttachmentsOfAllure3()
    {
        var allure2 = Path.Combine(CommandLineTests.RepoRoot, "tests", "allure2", "node_modules", ".bin", "allure");
        Assert.That(File.Exists(allure2), Is.True, $"Allure 2 is needed at {allure2}: ./run.sh --self-test installs it (npm ci in tests/allure2)");
        var run = await CommandLineTests.DefectRun.Value;
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Stdout + run.Stderr);
        var results = Path.Combine(run.ReportDir, "allure-results");
        var output = Path.Combine(Path.GetTempPath(), "msa-allure2-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await GenerateAsync(allure2, results, output);
            var resultFiles = Directory.GetFiles(results, "*-result.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
            var testCases = Directory.GetFiles(Path.Combine(output, "data", "test-cases"), "*.json")
                .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
            var allure3 = Path.Combine(run.ReportDir, "allure-report");
            var stats3 = JsonNode.Parse(File.ReadAllText(Path.Combine(allure3, "summary.json")))!["stats"]!.AsObject();
            var tests3 = JsonNode.Parse(File.ReadAllText(Path.Combine(allure3, "test-results.json")))!["byId"]!.AsObject()
                .Select(p => (Name: (string)p.Value!["name"]!, Status: (string)p.Value!["status"]!)).OrderBy(t => t.Name).ThenBy(t => t.Status).ToList();
            var statistic2 = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "widgets", "summary.json")))!["statistic"]!.AsObject();

            Assert.Multiple(() =>
            {
                Assert.That(stats3.Select(p => (p.Key, (int)p.Value!)).Where(p => p.Item2 > 0),
                    Is.EquivalentTo(statistic2.Select(p => (p.Key, (int)p.Value!)).Where(p => p.Item2 > 0)), "totals per status");
                Assert.That(statistic2["failed"]!.GetValue<int>(), Is.GreaterThan(0), "the run has the failing check the comparison needs");
                Assert.That(testCases.Select(t => ((string)t["name"]!, (string)t["status"]!)).OrderBy(t => t.Item1).ThenBy(t => t.Item2), Is.EqualTo(tests3),
                    "every test with the status Allure 3 shows");
                Assert.That(SuitePaths(JsonNode.Parse(File.ReadAllText(Path.Combine(output, "data", "suites.json")))!, []).Order(),
                    Is.EqualTo(resultFiles.Select(LabelPath).Order()), "the suite tree (parentSuite › suite › subSuite, Allure 3's groupBy)");
                foreach (var result in resultFiles)
                {
                    var name = (string)result["fullName"]!;
                    var rendered = testCases.Single(t => (string)t["fullName"]! == name)["testStage"]!;
                    Assert.That(Count(rendered, "steps"), Is.EqualTo(Count(result, "steps")), $"steps of {name}");
                    Assert.That(Count(rendered, "attachments"), Is.EqualTo(Count(result, "attachments")), $"attachments of {name}");
                }
                var attachments = Directory.GetFiles(Path.Combine(output, "data", "attachments")).Length;
                Assert.That(attachments, Is.EqualTo(Directory.GetFiles(results, "*-attachment.*").Length), "every attachment file is carried over");
                Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(output, "data", "categories.json")))!["children"]!.AsArray()
                    .Select(c => (string)c!["name"]!), Does.Contain("MUST requirements not met"), "the failure categories (results/categories.json)");
            });
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    private static async Task GenerateAsync(string allure2, string results, string output)
    {
        var psi = new ProcessStartInfo(allure2) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "generate", results, "-o", output, "--clean" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(cts.Token);
        Assert.That(p.ExitCode, Is.EqualTo(0), "allure generate (Allure 2; needs Java 17): " + await stdout + await stderr);
    }

    /// <summary>"parentSuite/suite/subSuite/test name" of one result, from its labels.</summary>
    private static string LabelPath(JsonObject result)
    {
        var labels = result["labels"]!.AsArray().GroupBy(l => (string)l!["name"]!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (string)g.First()!["value"]!, StringComparer.Ordinal);
        return string.Join("/", new[] { "parentSuite", "suite", "subSuite" }.Where(labels.ContainsKey).Select(k => labels[k]).Append((string)result["name"]!));
    }

    /// <summary>The same paths, read from Allure 2's suite tree.</summary>
    private static IEnumerable<string> SuitePaths(JsonNode node, List<string> above)
    {
        if (node["children"] is not JsonArray children) return [string.Join("/", above.Append((string)node["name"]!))];
        var path = node["uid"] is null || (string?)node["name"] == "suites" ? above : [.. above, (string)node["name"]!];
        return children.SelectMany(c => SuitePaths(c!, path));
    }

    /// <summary>How many items of this kind (steps, attachments) a result or stage holds, at every depth.</summary>
    private static int Count(JsonNode node, string kind)
    {
        var own = node[kind] is JsonArray items ? items.Count : 0;
        return own + (node["steps"] is JsonArray steps ? steps.Sum(s => Count(s!, kind)) : 0);
    }
}
