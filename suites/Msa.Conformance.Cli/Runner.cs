using System.Security.Cryptography;
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
        if (args.Contains("--verify")) return Verify(args);
        if (args.Contains("--rejudge")) return await Rejudge.RunAsync(args);
        HarnessOptions options;
        try { options = HarnessOptions.Load(Flags.Normalise(args), Path.Combine(Paths.RepoRoot, "suites")); }
        catch (ConfigurationError e) { return Fail($"Configuration error: {e.Message} (see ./run.sh --help)"); }
        catch (Exception e) when (e is FormatException or InvalidOperationException) { return Fail($"Configuration error: {e.Message} (see ./run.sh --help)"); }

        // The signing key is read now, so a wrong one stops the run before any request (and it is never written anywhere).
        ECDsa? signingKey;
        try { signingKey = LoadSigningKey(options.SignKey); }
        catch (ConfigurationError e) { return Fail($"Configuration error: {e.Message} (see ./run.sh --help)"); }

        await using var embedded = options.Target.Length == 0 ? await StartEmbeddedAsync(options) : null;
        var started = DateTimeOffset.UtcNow;
        Console.WriteLine($"MSA Conformance {Paths.Version} — target {options.Target}{(embedded is null ? "" : " (embedded reference server)")}, profile {options.Profile}");

        // Preflight: one clear message and exit 2 when the target cannot be tested at all.
        PreflightResult preflight;
        try { preflight = await Preflight.RunAsync(options); }
        catch (TargetUnusable e) { return Fail($"Cannot test {options.Target}: {e.Message}"); }
        Console.WriteLine($"Preflight: API base {preflight.BaseUrl}; {preflight.CredentialCheck}"
            + (preflight.ClockOffsetSeconds is { } offset ? $"; server clock offset {offset:+0.0;-0.0;0} s" : ""));
        foreach (var note in preflight.Notes) Console.WriteLine($"Note: {note}");

        var reportDir = options.ReportDir.Length > 0 ? Path.GetFullPath(options.ReportDir) : Path.Combine(Paths.RepoRoot, "reports");
        ReportFiles.Prepare(reportDir, options);
        var runs = new List<IReadOnlyList<CheckRecord>>();
        for (var i = 1; i <= options.Repeat; i++)
        {
            if (options.Repeat > 1) Console.WriteLine($"Run {i} of {options.Repeat}");
            ReportFiles.ClearCheckRecords(reportDir);
            var testExit = await RunSuitesAsync(options, reportDir);
            var records = Summary.ReadCheckRecords(reportDir);
            if (records.Count == 0)
                return Fail($"The suites produced no results (dotnet test exited {testExit}); see {Path.Combine(reportDir, "dotnet-test.log")}.");
            runs.Add(records);
        }

        return await ReportAsync(reportDir, options, signingKey, () => Summary.Write(reportDir, options, started, DateTimeOffset.UtcNow, embedded is not null, preflight, runs));
    }

    public static ECDsa? LoadSigningKey(string path) => path.Length > 0 ? EvidenceSignature.LoadPrivateKey(path) : null;

    /// <summary>The end of a run and of a re-judge alike: the HTML report, summary.json, the one-page report, the signature, the console table.</summary>
    internal static async Task<int> ReportAsync(string reportDir, HarnessOptions options, ECDsa? signingKey, Func<Summary> summarise)
    {
        var html = await AllureReport.RenderAsync(reportDir);
        var summary = summarise();
        var onePage = ConformanceReport.Write(reportDir, summary, options);
        summary.Save(reportDir);
        EvidenceSignature.Write(reportDir, signingKey);
        Console.WriteLine(summary.Table());
        Console.WriteLine($"Conformance report: {onePage}");
        Console.WriteLine(html is null ? "HTML report: not rendered (see the message above); results are in " + Path.Combine(reportDir, "allure-results")
            : $"HTML report: {html}");
        if (File.Exists(Path.Combine(reportDir, "junit.xml"))) Console.WriteLine($"JUnit: {Path.Combine(reportDir, "junit.xml")}");
        Console.WriteLine($"Summary: {Path.Combine(reportDir, "summary.json")}");
        if (File.Exists(Path.Combine(reportDir, "capabilities.json")))
            Console.WriteLine($"Capabilities (declared vs observed): {Path.Combine(reportDir, "capabilities.json")}");
        Console.WriteLine($"Verdict: {summary.Verdict}");
        return summary.ExitCode;
    }

    /// <summary>
    /// Follows the suites' progress lines. In a CI log (no terminal) each state change is one line; on a terminal each
    /// running scenario also has one live line (state, time since End, next poll), redrawn in place.
    /// </summary>
    private static async Task FollowProgressAsync(string path, CancellationToken stop)
    {
        var live = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null;
        var liveLines = new Dictionary<string, string>();
        var drawn = 0;
        long position = 0;
        while (true)
        {
            var stopping = stop.IsCancellationRequested;
            if (File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                stream.Seek(position, SeekOrigin.Begin);
                using var reader = new StreamReader(stream);
                var text = await reader.ReadToEndAsync(CancellationToken.None);
                var complete = text.LastIndexOf('\n') + 1;
                position += System.Text.Encoding.UTF8.GetByteCount(text[..complete]);
                var output = new System.Text.StringBuilder();
                if (live && drawn > 0) output.Append($"\u001b[{drawn}A\u001b[J"); // erase the live block, print new lines above it
                foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var body = line[(line.IndexOf("] ", StringComparison.Ordinal) + 2)..]; // after "[  12.3 s] "
                    // A tick starts with "~", possibly after a group prefix such as "Webhooks · ".
                    var tick = body.StartsWith('~') || body.Contains(" · ~", StringComparison.Ordinal);
                    body = body.Replace(" · ~", " · ", StringComparison.Ordinal).TrimStart('~');
                    var scenario = body.Split(':')[0];
                    if (tick) { liveLines[scenario] = $"  … {body}"; continue; }
                    liveLines.Remove(scenario);
                    output.Append("  ").Append(line).Append('\n');
                }
                if (live)
                {
                    foreach (var l in liveLines.Values) output.Append(l).Append('\n');
                    drawn = liveLines.Count;
                }
                Console.Write(output);
            }
            if (stopping) return;
            try { await Task.Delay(250, stop); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>./run.sh --verify DIR --public-key FILE: every file's hash against the manifest, and the manifest's signature.</summary>
    private static int Verify(string[] args)
    {
        var dir = Flags.ValueOf(args, "--verify");
        var publicKey = Flags.ValueOf(args, "--public-key");
        if (dir is null || !Directory.Exists(dir)) return Fail($"--verify needs a report directory (got '{dir}').");
        if (publicKey is null || !File.Exists(publicKey)) return Fail($"--verify needs --public-key FILE, a PEM public key (got '{publicKey}').");
        var problems = EvidenceSignature.Verify(dir, File.ReadAllText(publicKey));
        if (problems.Count == 0)
        {
            Console.WriteLine($"Evidence verified: every file of {dir} matches {EvidenceSignature.ManifestFile}, and its signature is valid.");
            return ExitCode.Conformant;
        }
        foreach (var p in problems) Console.WriteLine($"NOT VERIFIED: {p}");
        return ExitCode.NotConformant;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return ExitCode.CouldNotRun;
    }

    private static async Task<RunningReferenceServer> StartEmbeddedAsync(HarnessOptions options)
    {
        var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Token = "embedded-" + Guid.NewGuid().ToString("N"),
            ProcessingTime = TimeSpan.FromMilliseconds(options.Embedded.ProcessingMs),
            SessionLifetime = TimeSpan.FromSeconds(options.Embedded.SessionLifetimeSeconds),
            Profile = options.ProtocolProfile == ProtocolProfile.MsaDraft ? ServerProfile.MsaDraft : ServerProfile.Ekascribe,
        });
        options.Target = server.ServiceRoot;
        options.Token = server.Options.Token;
        options.SecondKey = server.Options.SecondKey;
        options.OtherTenantToken = server.Options.OtherTenantToken;
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
                if (line.StartsWith("The harness cannot run", StringComparison.Ordinal)) Console.WriteLine(line);
            }
        }
        using var stopFollowing = new CancellationTokenSource();
        var follow = FollowProgressAsync(Path.Combine(reportDir, "progress.log"), stopFollowing.Token);
        await Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError), process.WaitForExitAsync());
        await stopFollowing.CancelAsync();
        await follow;
        return process.ExitCode;
    }
}
