namespace Msa.Conformance.Cli;

public static class Paths
{
    public static string Version => typeof(Paths).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The checkout this harness runs from (the folder holding Conformance.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    /// <summary>The built suites assembly (run.sh builds the solution first).</summary>
    public static string SuitesAssembly()
    {
        var bin = Path.Combine(RepoRoot, "suites", "Msa.Conformance.Suites", "bin");
        var found = Directory.Exists(bin)
            ? Directory.GetFiles(bin, "Msa.Conformance.Suites.dll", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}ref{Path.DirectorySeparatorChar}"))
                .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        return found ?? throw new ConfigurationError("the suites are not built: run ./run.sh (it builds them) or dotnet build Conformance.sln");
    }
}
