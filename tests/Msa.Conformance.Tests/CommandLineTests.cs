using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>The command-line contract vendors' CI relies on: exit codes, summary.json, one clear message when the run cannot happen.</summary>
[TestFixture]
public class CommandLineTests
{
    internal static readonly string RepoRoot = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Conformance.sln"))) return d.FullName;
        throw new InvalidOperationException("not inside the checkout");
    }

    internal sealed record CliRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, string ReportDir)
    {
        public JsonObject Summary => JsonNode.Parse(File.ReadAllText(Path.Combine(ReportDir, "summary.json")))!.AsObject();
        public string Status(string checkId) =>
            Summary["checks"]!.AsArray().Single(c => (string?)c!["id"] == checkId)!["status"]!.ToString();
    }

    internal static Task<CliRun> RunAsync(string? token, params string[] args) => RunAsync(token, new Dictionary<string, string>(), args);

    internal static async Task<CliRun> RunAsync(string? token, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var reportDir = Directory.CreateTempSubdirectory("msa-cli-").FullName;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoRoot, "suites", "Msa.Conformance.Cli", "bin", "Debug", "net10.0", "msa-conformance.dll"));
        foreach (var a in args.Concat(["--report-dir", reportDir])) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSA_", StringComparison.OrdinalIgnoreCase)).ToList()) psi.Environment.Remove(key);
        if (token is not null) psi.Environment["MSA_TOKEN"] = token;
        foreach (var (key, value) in environment) psi.Environment[key] = value;
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { p.Kill(true); Assert.Fail("the harness did not finish within 3 minutes"); }
        return new CliRun(p.ExitCode, await stdout, await stderr, clock.Elapsed, reportDir);
    }

    private static Task<RunningReferenceServer> ServerAsync(string token, params Fault[] faults) => ServerAsync(token, [], faults);

    private static Task<RunningReferenceServer> ServerAsync(string token, Variation[] variations, params Fault[] faults) =>
        ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Token = token, ProcessingTime = TimeSpan.FromMilliseconds(1000), Faults = faults.ToHashSet(), Variations = variations.ToHashSet(),
            // Long enough for a loaded machine to End every session first; the expiry scenario still waits only seconds.
            SessionLifetime = TimeSpan.FromSeconds(6),
        });

    [Test]
    public async Task CleanServerExitsZeroAndNoReportFileHoldsTheCredential()
    {
        const string marker = "MARKER-CREDENTIAL-7f3a9c";
        await using var server = await ServerAsync(marker);
        var run = await RunAsync(marker, "--target", server.ServiceRoot, "--poll-interval-ms", "200");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stdout + run.Stderr);
        Assert.Multiple(() =>
        {
            Assert.That((string?)run.Summary["verdict"], Is.EqualTo("conformant"));
            Assert.That(run.Summary["checks"]!.AsArray(), Has.Count.GreaterThan(30));
            Assert.That(File.Exists(Path.Combine(run.ReportDir, "junit.xml")), "junit.xml");
            Assert.That(File.Exists(Path.Combine(run.ReportDir, "capabilities.json")), "capabilities.json");
            Assert.That(File.Exists(Path.Combine(run.ReportDir, "evidence.har")), "evidence.har");
            Assert.That(run.Stdout, Does.Contain("HTML report:"));
            var leaking = Directory.EnumerateFiles(run.ReportDir, "*", SearchOption.AllDirectories)
                .Where(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal)).ToList();
            Assert.That(leaking, Is.Empty, "report files that contain the credential");
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain(marker));
            var manifest = run.Summary["evidence_manifest"]!.AsObject();
            using var junit = File.OpenRead(Path.Combine(run.ReportDir, "junit.xml"));
            Assert.That((string?)manifest["junit.xml"], Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(junit))));
            Assert.That(manifest.Select(p => p.Key), Has.Some.StartsWith("allure-report/"));
            Assert.That(manifest.Select(p => p.Key), Has.Member("evidence.har"), "the HAR is in the evidence manifest");
        });
    }

    [Test]
    public async Task ARejectedCredentialStopsAtPreflightWithExitTwo()
    {
        await using var server = await ServerAsync("the-right-token");
        var run = await RunAsync("a-wrong-token", "--target", server.ServiceRoot);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr, Does.Contain("credential was rejected"));
            Assert.That(run.Stderr + run.Stdout, Does.Not.Contain("a-wrong-token"));
        });
    }

    [Test]
    public async Task AServerThatRefusesTheConfiguredTemplatesIsTestedWithOnesItLists()
    {
        await using var server = await ServerAsync("t", Fault.CreateRefusesListedTemplate);
        var run = await RunAsync("t", "--target", server.ServiceRoot);
        Assert.Multiple(() =>
        {
            Assert.That(run.Stdout, Does.Contain("using transcript_template from the server's catalogue"), run.Stdout + run.Stderr);
            Assert.That(run.Status("create-session.201"), Is.EqualTo("passed"), "the run's Creates use the listed template the server accepts");
            Assert.That(run.Status("templates.catalogue.ids-accepted"), Is.EqualTo("failed"), "the listed id Create refuses is still TPL-CAT-04's failure");
            Assert.That(File.ReadAllText(Path.Combine(run.ReportDir, "effective-config.json")), Does.Contain("transcript_template"));
        });
    }

    [Test]
    public async Task ABaselineCreateRefusedWithNoListedAlternativeExitsTwoWithTheServersWords()
    {
        await using var server = await ServerAsync("t", [Variation.UnknownTemplateRefusedAtCreate], Fault.TemplatesCatalogueMissing);
        var run = await RunAsync("t", "--target", server.ServiceRoot, "--templates", "no_such_template");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Stdout + run.Stderr);
            Assert.That(run.Stderr, Does.Contain("baseline Create with templates no_such_template was refused: HTTP 400"));
            Assert.That(run.Stderr, Does.Contain("no_such_template").And.Contain("--templates"), "the server's own words and the setting that changes it");
        });
    }

    /// <summary>A 403 {"detail": …} refusal is quoted as the server said it, and 401/403 named for what they are (issue 11).</summary>
    [Test]
    public async Task ACredentialRefusedWith403IsQuotedAsTheServerSaidIt()
    {
        await using var server = await ServerAsync("the-right-token", Fault.UnauthorizedAs403Detail);
        var run = await RunAsync("a-wrong-token", "--target", server.ServiceRoot);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr, Does.Contain("HTTP 403").And.Contain("invalid_token"), "the server's own words");
            Assert.That(run.Stderr, Does.Contain("403 that it is not allowed"));
            Assert.That(run.Stderr + run.Stdout, Does.Not.Contain("a-wrong-token"));
        });
    }

    [Test]
    public async Task RepeatModeRunsTheSuitesAgainAndReportsChangedVerdicts()
    {
        const string token = "repeat-token";
        await using var server = await ServerAsync(token);
        var run = await RunAsync(token, "--target", server.ServiceRoot, "--poll-interval-ms", "200", "--repeat", "2");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stdout + run.Stderr);
        Assert.Multiple(() =>
        {
            Assert.That((int?)run.Summary["repeat"]?["runs"], Is.EqualTo(2));
            // A verdict may legitimately change between runs on a loaded machine (e.g. passed → inconclusive); what
            // repeat mode must do is list each such check with its verdict in every run.
            Assert.That(run.Summary["repeat"]?["changed"]?.AsArray().Select(c => c!["statuses"]!.AsArray().Count), Is.All.EqualTo(2));
            Assert.That(run.Stdout, Does.Contain("Run 2 of 2"));
        });
    }

    /// <summary>One run against a server with TemplatesAsMap, shared by the tests that read its reports.</summary>
    internal static readonly Lazy<Task<CliRun>> DefectRun = new(async () =>
    {
        const string token = "defect-run-token";
        await using var server = await ServerAsync(token, Fault.TemplatesAsMap);
        return await RunAsync(token, "--target", server.ServiceRoot, "--poll-interval-ms", "200");
    });

    [Test]
    public async Task AServerWithOneDefectExitsOneAndTheSummaryNamesTheFailingCheck()
    {
        var run = await DefectRun.Value;
        Assert.That(run.ExitCode, Is.EqualTo(1), run.Stdout + run.Stderr);
        Assert.Multiple(() =>
        {
            Assert.That((string?)run.Summary["verdict"], Is.EqualTo("not_conformant"));
            Assert.That(run.Status("get-session.templates.is-list"), Is.EqualTo("failed"));
            Assert.That(run.Stdout, Does.Contain("TPL-01"));
            // The console shows what was received, and failures come before the other kinds.
            var table = run.Stdout[run.Stdout.IndexOf("  FAILED", StringComparison.Ordinal)..];
            Assert.That(table, Does.Contain("Received:"));
            var firstOther = new[] { "  WARNING", "  INCONCLUSIVE", "  NOT_APPLICABLE" }.Select(k => table.IndexOf(k, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(int.MaxValue).Min();
            Assert.That(table.LastIndexOf("  FAILED", StringComparison.Ordinal), Is.LessThan(firstOther));
            // The one-page report: Failed and Warning apart, headings that count verdicts, non-verdicts that say their kind.
            var html = File.ReadAllText(Path.Combine(run.ReportDir, "conformance-report.html"));
            Assert.That(html, Does.Contain("<th>Failed</th><th>Warning</th>"));
            Assert.That(html, Does.Contain("verdicts passed"));
            Assert.That(html, Does.Contain("other profile</span>"), "a non-verdict says its kind");
        });
    }

    [Test]
    public async Task AnUnreachableTargetExitsTwoWithOneMessageWithinSeconds()
    {
        var port = FreePort(); // nothing listens there
        var run = await RunAsync("x", "--target", $"http://127.0.0.1:{port}/voice/v1");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), run.Stderr);
            Assert.That(run.Stderr, Does.Contain("connection refused"));
            Assert.That(run.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
            Assert.That(File.Exists(Path.Combine(run.ReportDir, "summary.json")), Is.False, "no conformance verdict for a run that could not happen");
        });
    }

    [Test]
    public async Task AHungServerEndsInATimeoutNotAHang()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<TcpClient>();
        _ = Task.Run(async () => { while (true) accepted.Add(await listener.AcceptTcpClientAsync()); });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var run = await RunAsync("x", "--target", $"http://127.0.0.1:{port}", "--request-timeout", "2");
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr, Does.Contain("timed out"));
            Assert.That(run.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)));
        });
        listener.Stop();
    }

    [Test]
    public async Task AnHtmlPageInsteadOfDiscoveryExitsTwoWithAnExcerpt()
    {
        var b = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseUrls(b.WebHost, "http://127.0.0.1:0");
        await using var app = b.Build();
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/{**any}", () =>
            Microsoft.AspNetCore.Http.Results.Content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", null, 502));
        await app.StartAsync();
        var run = await RunAsync("x", "--target", app.Urls.First());
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr, Does.Contain("502").And.Contain("Bad Gateway"));
        });
    }

    [TestCase("--poll-deadline", "soon")]
    [TestCase("--auth", "basic")]
    [TestCase("--token", "secret-on-the-command-line")]
    [TestCase("--no-such-option", "1")]
    public async Task AWrongSettingExitsTwoWithAReadableMessage(string option, string value)
    {
        var run = await RunAsync("x", option, value);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr, Does.StartWith("Configuration error:"));
            Assert.That(run.Stderr + run.Stdout, Does.Not.Contain("secret-on-the-command-line"));
        });
    }

    [Test]
    public async Task HelpListsEverySetting()
    {
        var run = await RunAsync(null, "--help");
        Assert.That(run.ExitCode, Is.EqualTo(0));
        foreach (var option in Conformance.HarnessOptions.SwitchMappings.Keys.Append("--strict").Append("MSA_TOKEN"))
            Assert.That(run.Stdout, Does.Contain(option));
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
