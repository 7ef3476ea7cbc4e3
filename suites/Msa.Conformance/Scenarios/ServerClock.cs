using System.Globalization;
using System.Text.RegularExpressions;
using Msa.Conformance.Http;

namespace Msa.Conformance.Scenarios;

/// <summary>
/// The server's clock as the harness can bound it: created_at was stamped while Create was in flight, so the offset
/// between the two clocks lies within that request's duration (widened by created_at's resolution: 1 s for whole
/// seconds, 1 ms for milliseconds). Skew between the machines cancels out; null when Create gave no readable created_at.
/// </summary>
public static partial class ServerClock
{
    /// <summary>The latest harness time at which the server's clock can still be short of `serverTime`.</summary>
    public static DateTimeOffset? LatestLocalTime(ScenarioRun run, DateTimeOffset serverTime) =>
        Stamp(run) is var (create, createdAt, resolution) ? create.StartedAt + create.Elapsed + (serverTime - createdAt) + resolution : null;

    /// <summary>The latest server time at which `x` can have been answered.</summary>
    public static DateTimeOffset? LatestServerTime(ScenarioRun run, Exchange x) =>
        Stamp(run) is var (create, createdAt, resolution) ? x.StartedAt + x.Elapsed + (createdAt - create.StartedAt) + resolution : null;

    /// <summary>A timestamp as an instant; one without a zone is read as UTC (whether it must carry one is each row's own business).</summary>
    /// <summary>Create's created_at is within 120 s of when Create was sent (CRE-05), so it can stand for the server's clock.</summary>
    public static bool Trusted(ScenarioRun run) =>
        Stamp(run) is var (create, createdAt, _) && (createdAt - create.StartedAt).Duration() <= TimeSpan.FromSeconds(120) + create.Elapsed;

    public static DateTimeOffset? Parse(string? timestamp) =>
        !string.IsNullOrWhiteSpace(timestamp) && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static (Exchange Create, DateTimeOffset CreatedAt, TimeSpan Resolution)? Stamp(ScenarioRun run) =>
        run.Create is { } create && Parse(run.CreatedAt) is { } createdAt ? (create, createdAt, Resolution(run.CreatedAt!)) : null;

    public static TimeSpan Resolution(string timestamp) =>
        Fraction().Match(timestamp) is { Success: true } m ? TimeSpan.FromSeconds(Math.Pow(10, -Math.Min(m.Groups[1].Length, 7))) : TimeSpan.FromSeconds(1);

    [GeneratedRegex(@"T\d{2}:\d{2}:\d{2}\.(\d+)")]
    private static partial Regex Fraction();
}
