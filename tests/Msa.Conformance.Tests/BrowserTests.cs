using System.Diagnostics;

namespace Msa.Conformance.Tests;

/// <summary>
/// What a certifier sees: headless Chromium (Debian's chromium, driven by playwright-core) opens both HTML reports
/// of a run with a failing check and looks for the suites, the failure message and its request and response.
/// </summary>
[TestFixture]
public class BrowserTests
{
    [Test]
    public async Task BothReportsShowTheSuitesAFailingCheckAndItsEvidence()
    {
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        Assert.That(File.Exists(chromium), Is.True, $"Chromium is needed at {chromium}: ./run.sh --self-test installs Debian's chromium");
        var run = await CommandLineTests.DefectRun.Value;
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Stdout + run.Stderr);

        var browserDir = Path.Combine(CommandLineTests.RepoRoot, "tests", "browser");
        var psi = new ProcessStartInfo("node") { WorkingDirectory = browserDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "check-reports.mjs", run.ReportDir, "TPL-01", "Get Session", "Templates" }) psi.ArgumentList.Add(a);
        psi.Environment["CHROMIUM"] = chromium;
        using var node = Process.Start(psi)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(cts.Token);
        Assert.That(node.ExitCode, Is.EqualTo(0), await stdout + await stderr);
    }
}
