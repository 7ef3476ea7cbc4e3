using System.Globalization;
using System.Runtime.InteropServices;

namespace Msa.ReferenceServer;

/// <summary>The standalone command line: options in, or an exit code after printing usage, errors or the fault list.</summary>
internal static class CommandLine
{
    private const string Usage = """
        Usage: Msa.ReferenceServer [options]
          --port N                       TCP port (default 0 = a free port)
          --host ADDRESS                 loopback address to listen on (default 127.0.0.1)
          --base-path PATH               path all endpoints live below (default /voice/v1)
          --token TOKEN                  the accepted bearer token (default reference-token)
          --processing-ms N              End -> terminal state, in milliseconds (default 1500)
          --session-lifetime-seconds N   created_at -> expires_at, in seconds (default 3600)
          --profile NAME                 ekascribe (default) or msa-draft: templates as a map, X-API-Key,
                                         discovery also at the host root
          --faults A,B,...               faults to inject (see --list-faults)
          --expired-session-id ID        a session that exists already expired (repeatable), for a
                                         harness run with --expired-session-id ID
          --webhooks on|off              offer webhook registration and delivery (default on)
          --list-faults                  print every fault with its description and exit
        """;

    /// <summary>True with options to run; false with the exit code (0 after --list-faults/--help, 2 on a usage error).</summary>
    public static bool TryParse(string[] args, TextWriter output, TextWriter errors, out ReferenceServerOptions options, out int exitCode)
    {
        options = new ReferenceServerOptions();
        exitCode = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inline) = Split(args[i]);
            if (name is "--list-faults")
            {
                foreach (var fault in FaultCatalog.All) output.WriteLine($"{fault,-34} {FaultCatalog.Describe(fault)}");
                return false;
            }
            if (name is "--help" or "-h" or "-?")
            {
                output.WriteLine(Usage);
                return false;
            }
            if (name is not ("--port" or "--host" or "--base-path" or "--token" or "--processing-ms" or "--session-lifetime-seconds" or "--profile" or "--faults"
                or "--expired-session-id" or "--webhooks"))
                return Fail(errors, $"Unknown option '{args[i]}'.\n{Usage}", out exitCode);
            var value = inline ?? (i + 1 < args.Length ? args[++i] : null);
            if (value is null) return Fail(errors, $"Option {name} needs a value.\n{Usage}", out exitCode);

            switch (name)
            {
                case "--host": options.Host = value; break;
                case "--base-path": options.BasePath = value; break;
                case "--token": options.Token = value; break;
                case "--profile" when value is "ekascribe" or "msa-draft":
                    options.Profile = value == "msa-draft" ? ServerProfile.MsaDraft : ServerProfile.Ekascribe;
                    break;
                case "--profile": return Fail(errors, $"Option --profile must be ekascribe or msa-draft, not '{value}'.", out exitCode);
                case "--expired-session-id": options.ExpiredSessions.Add(value); break;
                case "--port" when Integer(value, 0, 65535) is { } port: options.Port = (int)port; break;
                case "--processing-ms" when Integer(value, 0, int.MaxValue) is { } ms: options.ProcessingTime = TimeSpan.FromMilliseconds(ms); break;
                case "--session-lifetime-seconds" when Integer(value, 1, int.MaxValue) is { } s: options.SessionLifetime = TimeSpan.FromSeconds(s); break;
                case "--webhooks" when value is "on" or "off": options.Webhooks.Enabled = value == "on"; break;
                case "--webhooks": return Fail(errors, $"Option --webhooks takes on or off, not '{value}'.", out exitCode);
                case "--faults":
                    foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (FaultCatalog.TryParse(item, out var fault)) options.Faults.Add(fault);
                        else return Fail(errors, $"Unknown fault '{item}'. Valid faults:\n  " + string.Join("\n  ", FaultCatalog.All), out exitCode);
                    }
                    break;
                default: return Fail(errors, $"Option {name} needs a whole number in range, not '{value}'.", out exitCode);
            }
        }
        try
        {
            _ = ServerSettings.From(options);
        }
        catch (ArgumentException ex)
        {
            return Fail(errors, ex.Message, out exitCode);
        }
        return true;
    }

    private static (string Name, string? Inline) Split(string arg)
    {
        var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=') : -1;
        return eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static long? Integer(string text, long min, long max) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;

    private static bool Fail(TextWriter errors, string message, out int exitCode)
    {
        errors.WriteLine(message);
        exitCode = 2;
        return false;
    }
}

/// <summary>Completes on Ctrl+C (SIGINT) or SIGTERM.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] registrations;

    public ShutdownSignal() =>
        registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }))];

    public Task Stopped => stopped.Task;

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
    }
}
