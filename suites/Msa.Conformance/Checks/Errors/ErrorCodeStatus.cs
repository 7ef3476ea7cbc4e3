using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Errors;

/// <summary>Errors: codes whose HTTP status the sources give differently (CF-18, CF-23), each with the status of its profile.</summary>
public static class ErrorCodeStatus
{
    /// <summary>One pairing: the codes, the status they must come with, and the requirement; FromUpload when only the API's upload endpoint sends them.</summary>
    public sealed record Pairing(string Slug, string[] Codes, int Status, Requirement Requirement, bool FromUpload = false);

    public static readonly IReadOnlyList<Pairing> Pairings =
    [
        new("chunk-too-large-413", ["chunk_too_large"], 413, new("ERR-07"), FromUpload: true),
        new("ended-completed-400", ["session_ended", "session_completed"], 400, new("ERR-09")),
        new("chunk-too-large-400", ["chunk_too_large"], 400, new("ERR-08", "CF-18", Should), FromUpload: true),
    ];

    public static readonly IReadOnlyList<Check> All = Pairings.Select(p => new Check(
        $"errors.code-status.{p.Slug}", $"{string.Join(" and ", p.Codes)} {(p.Codes.Length > 1 ? "are" : "is")} sent with HTTP {p.Status}",
        p.Requirement, Scenario.All, o =>
        {
            var paired = ErrorEnvelope.ErrorAnswers(o).Where(x => x.ErrorCode() is { } c && p.Codes.Contains(c)).ToList();
            if (paired.Count == 0 && p.FromUpload) Upload.UploadLog.NotForPresigned(o.All, $"{string.Join(" or ", p.Codes)} is the API upload endpoint's code, and no chunk went there");
            if (paired.Count == 0) throw new NotReached(Verdict.Inconclusive, $"no answer carried {string.Join(" or ", p.Codes)}");
            var v = new Violations();
            foreach (var x in paired)
                v.When(x.Status != p.Status, x, () => $"Expected: HTTP {p.Status} with error.code \"{x.ErrorCode()}\"\nReceived: HTTP {x.Status}");
            return v.Result();
        })).ToList();
}
