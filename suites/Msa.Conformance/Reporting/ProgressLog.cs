using System.Diagnostics;

namespace Msa.Conformance.Reporting;

/// <summary>
/// One line per scenario state change, appended to a file the command line follows: the suites run in dotnet
/// test's process, whose console is not the user's, and a CI log should show where a slow server spent its time.
/// </summary>
public sealed class ProgressLog(string path)
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Write(string line)
    {
        lock (_lock) File.AppendAllText(path, $"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {Http.Redactor.Scrub(line)}\n");
    }
}
