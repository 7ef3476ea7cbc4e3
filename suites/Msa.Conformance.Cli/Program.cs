using Msa.Conformance;
using Msa.Conformance.Cli;

// run.sh → here: settings, preflight, the embedded server when no target is given, the suites, the reports.
try
{
    return await Runner.MainAsync(args);
}
catch (Exception e) when (e is ConfigurationError or TargetUnusable)
{
    Console.Error.WriteLine(e.Message);
    return ExitCode.CouldNotRun;
}
catch (Exception e)
{
    // A harness bug or an unusable environment (disk full, permissions): never a conformance verdict.
    Console.Error.WriteLine($"Harness error: {e.GetType().Name}: {e.Message}");
    return ExitCode.CouldNotRun;
}
