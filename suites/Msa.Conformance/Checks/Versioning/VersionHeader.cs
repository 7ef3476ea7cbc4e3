using System.Globalization;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Versioning;

/// <summary>
/// The MSA-Version request header (spec 3.3). EkaScribe documents none of it, so both rows are reported at SHOULD in
/// both profiles (CF-58), although VER-01 is a MUST in the community text.
/// </summary>
public static class VersionHeader
{
    private const string Source = "spec 3.3; CF-58 (lenient: EkaScribe documents no MSA-Version)";

    public static readonly Check SupportedVersionAccepted = new(
        "versioning.supported-version-accepted", "A request with MSA-Version: 0.1 is handled exactly like the same request without it",
        new("VER-01", "CF-58", Should), Scenario.Versioning, o =>
        {
            foreach (var version in new[] { null, ScenarioDriver.TestedVersion })
                if (o.Run.Probes.GetValueOrDefault(ProbeNames.VersionedCreate(version)) is { } create) Expect.OwnSession(create);
            var v = new Violations();
            foreach (var (without, with) in new[]
                     {
                         (ProbeNames.VersionedCreate(null), ProbeNames.VersionedCreate(ScenarioDriver.TestedVersion)),
                         (ProbeNames.VersionedRead(null), ProbeNames.VersionedRead(ScenarioDriver.TestedVersion)),
                     })
            {
                var plain = Answer(o, without);
                var versioned = o.Run.Probes.ContainsKey(with) ? Answer(o, with) : null;
                if (versioned is null && plain.Status is < 200 or >= 300) continue; // the plain request failed too: nothing to compare
                v.When(versioned is null || Shape(versioned) != Shape(plain), versioned ?? plain,
                    () => $"Expected: the same answer as without the header: {Shape(plain)}\nReceived: {(versioned is null ? "no request (the versioned Create gave no session)" : Shape(versioned))}");
            }
            return v.Result();
        });

    public static readonly Check UnsupportedVersionRefused = new(
        "versioning.unsupported-version-refused", "A request naming an unsupported version (MSA-Version: 99.0) is refused with 400 unsupported_version",
        new("VER-02"), Scenario.Versioning, o =>
        {
            var x = Answer(o, ProbeNames.VersionedCreate(ScenarioDriver.UnsupportedVersion));
            var code = x.JsonObject?["error"]?["code"];
            return new Violations().When(x.Status != 400 || code?.ToString() != "unsupported_version", x,
                () => $"Expected: HTTP 400 with error.code \"unsupported_version\"\nReceived: HTTP {x.Status}, error.code {Rules.Show(code)}: {x.Excerpt(200)}").Result();
        });

    public static readonly Check DeprecatedStillSupported = new(
        "versioning.deprecated-still-supported", "A version listed in deprecated_versions stays in supported_versions until its sunset_date",
        new("VER-07", "CF-58", Should), Scenario.Discovery, o =>
        {
            var (x, doc) = Discovery.DiscoveryFields.Document(o);
            if (doc["deprecated_versions"] is not JsonArray { Count: > 0 } deprecated)
                throw new NotReached(Verdict.NotApplicable, "discovery lists no deprecated_versions");
            var supported = (doc["supported_versions"] as JsonArray ?? []).Select(Rules.Show).ToHashSet();
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var v = new Violations();
            foreach (var entry in deprecated.OfType<JsonObject>())
            {
                var version = Rules.Show(entry["version"]);
                var sunset = SunsetOf(entry);
                v.When((sunset is null || sunset > today) && !supported.Contains(version), x,
                    () => $"Expected: {version} in supported_versions until its sunset_date {(sunset is { } d ? d.ToString("yyyy-MM-dd") : "(none given)")}\nReceived: supported_versions {Rules.Show(doc["supported_versions"])}");
            }
            return v.Result();
        });

    /// <summary>The calendar day of sunset_date (a date or an RFC 3339 date-time); null when absent or unreadable.</summary>
    private static DateOnly? SunsetOf(JsonObject entry) =>
        entry["sunset_date"] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length >= 10
            && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static IReadOnlyList<Check> All => [SupportedVersionAccepted, UnsupportedVersionRefused, DeprecatedStillSupported];

    private static Exchange Answer(Observations o, string probe)
    {
        var x = o.Run.Need(o.Run.Probes.GetValueOrDefault(probe), $"no request '{probe}' was made");
        if (x.AnswersAnotherSession) throw new NotReached(Verdict.Inconclusive, $"{probe}: answered with another session (see GET-PAIR-17, ISO-12)");
        return x.GotResponse ? x : throw new NotReached(Verdict.Inconclusive, $"{probe}: no answer ({x.TransportError})");
    }

    /// <summary>What "handled alike" compares: the code, the body's status and error code, and its top-level field names.</summary>
    private static string Shape(Exchange x) =>
        $"HTTP {x.Status}, status {Rules.Show(x.JsonObject?["status"])}, error {Rules.Show(x.JsonObject?["error"]?["code"])}, "
        + $"fields [{string.Join(", ", (x.JsonObject?.Select(p => p.Key) ?? []).Order(StringComparer.Ordinal))}]";
}
