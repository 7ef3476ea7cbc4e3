using Msa.ReferenceServer;

// Command line: options, or an exit code after usage errors (2) and --list-faults (0).
if (!CommandLine.TryParse(args, Console.Out, Console.Error, out var options, out var exitCode)) return exitCode;

// Start, announce, and serve until Ctrl+C or SIGTERM.
using var shutdown = new ShutdownSignal();
await using var server = await ReferenceServer.StartAsync(options);
Console.WriteLine($"Reference server listening on {server.ServiceRoot}");
await shutdown.Stopped;
return 0;
