using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Reporting;
using Msa.ReferenceServer;

namespace Msa.Conformance.Cli;

/// <summary>Exit codes of the command-line contract.</summary>
public static class ExitCode
{
    /// <summary>No MUST-level check failed (and, with --strict, nothing was inconclusive).</summary>
    public const int Conformant = 0;
    /// <summary>At least one MUST-level check failed (or, with --strict, a result was inconclusive).</summary>
    public const int NotConformant = 1;
    /// <summary>The harness could not run: bad configuration, target unreachable, harness error.</summary>
    public const int CouldNotRun = 2;
}

public static class Runner
{
    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h")) { Console.WriteLine(Help.Text); return ExitCode.Conformant; }
        HarnessOptions options;
        try { options = HarnessOptions.Load(Flags.Normalise(args), Path.Combine(Paths.RepoRoot, "suites")); }
        catch (ConfigurationError e) { return Fail($"Configuration error: {e.Message} (see ./run.sh --help)"); }
        catch (Exception e) when (e is FormatException or InvalidOperationException) { return Fail($"Configuration error: {e.Message} (see ./run.sh --help)"); }

        await using var embedded = options.Target.Length == 0 ? await StartEmbeddedAsync(options) : null;
        var started = DateTimeOffset.UtcNow;
        Console.WriteLine($"MSA Conformance {Paths.Version} — target {options.Target}{(embedded is null ? "" : " (embedded reference server)")}, profile {options.Profile}");

        // Preflight: one clear message and exit 2 when the target cannot be tested at all.
        try
        {
            using var target = await Target.ConnectAsync(options);
            foreach (var note in target.Notes) Console.WriteLine($"Note: {note}");
        }
        catch (TargetUnusable e) { return Fail($"Cannot test {options.Target}: {e.Message}"); }

        var reportDir = options.ReportDir.Length > 0 ? Path.GetFullPath(options.ReportDir) : Path.Combine(Paths.RepoRoot, "reports");
        ReportFiles.Prepare(reportDir, options);
        var testExit = await RunSuitesAsync(options, reportDir);
        var summary = Summary.Write(reportDir, options, started, DateTimeOffset.UtcNow, embedded is not null);
        if (summary.Checks.Count == 0)
            return Fail($"The suites produced no results (dotnet test exited {testExit}); see {Path.Combine(reportDir, "dotnet-test.log")}.");

        Console.WriteLine(summary.Table());
        var html = await AllureReport.RenderAsync(reportDir);
        Console.WriteLine(html is null ? "HTML report: not rendered (see the message above); results are in " + Path.Combine(reportDir, "allure-results")
            : $"HTML report: {html}");
        Console.WriteLine($"JUnit: {Path.Combine(reportDir, "junit.xml")}\nSummary: {Path.Combine(reportDir, "summary.json")}");
        if (File.Exists(Path.Combine(reportDir, "capabilities.json")))
            Console.WriteLine($"Capabilities (declared vs observed): {Path.Combine(reportDir, "capabilities.json")}");
        Console.WriteLine($"Verdict: {summary.Verdict}");
        return summary.ExitCode;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return ExitCode.CouldNotRun;
    }

    private static async Task<RunningReferenceServer> StartEmbeddedAsync(HarnessOptions options)
    {
        var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Token = "embedded-" + Guid.NewGuid().ToString("N"),
            ProcessingTime = TimeSpan.FromSeconds(2),
            // Short enough that the expiry scenario reaches 410 within a normal run.
            SessionLifetime = TimeSpan.FromSeconds(8),
            Profile = options.ProtocolProfile == ProtocolProfile.MsaDraft ? ServerProfile.MsaDraft : ServerProfile.Ekascribe,
        });
        options.Target = server.ServiceRoot;
        options.Token = server.Options.Token;
        // The embedded server's sessions live 8 s, not an hour: EXP-01 compares with what it was configured to do.
        options.ExpectedSessionLifetimeSeconds = (int)server.Options.SessionLifetime.TotalSeconds;
        return server;
    }

    /// <summary>Runs the NUnit suites in their own process through dotnet test (VSTest), for the JUnit logger.</summary>
    private static async Task<int> RunSuitesAsync(HarnessOptions options, string reportDir)
    {
        var dll = Paths.SuitesAssembly();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Paths.RepoRoot,
        };
        foreach (var a in new[] { "test", dll, "--nologo", "--logger", $"junit;LogFilePath={Path.Combine(reportDir, "junit.xml")};MethodFormat=Class;FailureBodyFormat=Verbose",
                     "--logger", "console;verbosity=minimal" })
            psi.ArgumentList.Add(a);
        foreach (var (key, value) in Settings.ToEnvironment(options, reportDir)) psi.Environment[key] = value;
        Console.WriteLine($"Running the suites ({Path.GetFileName(dll)}) …");
        using var process = Process.Start(psi)!;
        await using var log = File.CreateText(Path.Combine(reportDir, "dotnet-test.log"));
        async Task Pump(StreamReader r)
        {
            while (await r.ReadLineAsync() is { } line)
            {
                await log.WriteLineAsync(Http.Redactor.Scrub(line));
                if (line.StartsWith("  · ", StringComparison.Ordinal) || line.StartsWith("The harness cannot run", StringComparison.Ordinal)) Console.WriteLine(line);
            }
        }
        await Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError), process.WaitForExitAsync());
        return process.ExitCode;
    }
}
