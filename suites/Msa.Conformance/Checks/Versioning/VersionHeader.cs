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
        new("VER-01", Should, Source), Scenario.Versioning, o =>
        {
            var v = new Violations();
            foreach (var (without, with) in new[]
                     {
                         (ProbeNames.VersionedCreate(null), ProbeNames.VersionedCreate(ScenarioDriver.TestedVersion)),
                         (ProbeNames.VersionedRead(null), ProbeNames.VersionedRead(ScenarioDriver.TestedVersion)),
                     })
            {
                var plain = Answer(o, without);
                var versioned = o.Run.Probes.GetValueOrDefault(with);
                if (versioned is null && plain.Status is < 200 or >= 300) continue; // the plain request failed too: nothing to compare
                v.When(versioned is null || Shape(versioned) != Shape(plain), versioned ?? plain,
                    () => $"Expected: the same answer as without the header: {Shape(plain)}\nReceived: {(versioned is null ? "no request (the versioned Create gave no session)" : Shape(versioned))}");
            }
            return v.Result();
        });

    public static readonly Check UnsupportedVersionRefused = new(
        "versioning.unsupported-version-refused", "A request naming an unsupported version (MSA-Version: 99.0) is refused with 400 unsupported_version",
        new("VER-02", Should, Source), Scenario.Versioning, o =>
        {
            var x = Answer(o, ProbeNames.VersionedCreate(ScenarioDriver.UnsupportedVersion));
            var code = x.JsonObject?["error"]?["code"];
            return new Violations().When(x.Status != 400 || code?.ToString() != "unsupported_version" || Rules.EnvelopeProblems(x).Count > 0, x,
                () => $"Expected: HTTP 400 with error.code \"unsupported_version\"\nReceived: HTTP {x.Status}, error.code {Rules.Show(code)}: {x.Excerpt(200)}").Result();
        });

    public static IReadOnlyList<Check> All => [SupportedVersionAccepted, UnsupportedVersionRefused];

    private static Exchange Answer(Observations o, string probe)
    {
        var x = o.Run.Need(o.Run.Probes.GetValueOrDefault(probe), $"no request '{probe}' was made");
        return x.GotResponse ? x : throw new NotReached(Verdict.Inconclusive, $"{probe}: no answer ({x.TransportError})");
    }

    /// <summary>What "handled alike" compares: the code, the body's status and error code, and its top-level field names.</summary>
    private static string Shape(Exchange x) =>
        $"HTTP {x.Status}, status {Rules.Show(x.JsonObject?["status"])}, error {Rules.Show(x.JsonObject?["error"]?["code"])}, "
        + $"fields [{string.Join(", ", (x.JsonObject?.Select(p => p.Key) ?? []).Order(StringComparer.Ordinal))}]";
}
