using Msa.Conformance;
using Msa.Conformance.Cli;

// run.sh → here: settings, preflight, the embedded server when no target is given, the suites, the reports.
return await Runner.MainAsync(args);
