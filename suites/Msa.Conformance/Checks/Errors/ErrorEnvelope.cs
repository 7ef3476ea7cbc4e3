using System.Text.RegularExpressions;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Errors;

/// <summary>Errors: every 4xx/5xx answer of the whole run, whatever endpoint produced it (spec 11; seed ErrorResponse).</summary>
public static partial class ErrorEnvelope
{
    /// <summary>spec 11.2 (with unsupported_version from spec 3.3): the HTTP status each standard code goes with.</summary>
    public static readonly IReadOnlyDictionary<string, int> StatusByCode = new Dictionary<string, int>
    {
        ["authentication_failed"] = 401, ["token_expired"] = 401, ["invalid_api_key"] = 401,
        ["forbidden"] = 403,
        ["session_not_found"] = 404, ["template_not_found"] = 404, ["webhook_not_found"] = 404,
        ["session_expired"] = 410,
        ["invalid_request"] = 400, ["invalid_audio_format"] = 400, ["invalid_template"] = 400, ["missing_required_field"] = 400, ["unsupported_version"] = 400,
        ["audio_quality_poor"] = 422, ["audio_too_short"] = 422, ["language_unsupported"] = 422,
        ["rate_limit_exceeded"] = 429,
        ["processing_failed"] = 500, ["internal_error"] = 500,
        ["service_unavailable"] = 503,
    };

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex LowerSnake();

    /// <summary>
    /// Every 4xx/5xx answer of every scenario, except the one answer that is not an error (Get Session's 410 with the
    /// expired session body: EXP-04, CF-02) and, in the ekascribe profile, the answer to the multipart probe: that route
    /// is not part of the EkaScribe API (CF-07), so its 404 may come from a framework or gateway rather than the API.
    /// </summary>
    /// <summary>
    /// A Get Session answer that is a session body (it has a session status, e.g. a failed session sent with 500): not an
    /// error answer, whatever its code (GET-PAIR-11 judges that), and its error.code is the session's, not a table code.
    /// </summary>
    private static bool IsSessionBodyWithErrorCode(Exchange x) =>
        x.Method == "GET" && Rules.IsSessionBody(x) && x.BodyStatus is "failed" or "completed" or "partial" or "processing" or "initialized";

    public static List<Exchange> ErrorAnswers(Observations o)
    {
        var outsideApi = o.Options.Profile == "ekascribe"
            ? o.All.Select(r => r.Probes.GetValueOrDefault(Probe.Multipart)).OfType<Exchange>().ToHashSet() : [];
        var errors = o.All.SelectMany(r => r.Exchanges)
            // A presigned storage host answers in its provider's format (spec 7.8, UPL-17): not the scribe API's error.
            .Where(x => x.GotResponse && x.Status >= 400 && !IsExpiredSessionBody(x) && !IsSessionBodyWithErrorCode(x) && !outsideApi.Contains(x)
                && !Upload.UploadLog.ToStorage(x)).ToList();
        return errors.Count > 0 ? errors : throw new NotReached(Verdict.Inconclusive, "no scenario received a 4xx or 5xx answer");
    }

    private static bool IsExpiredSessionBody(Exchange x) =>
        x.Status == 410 && x.Step.StartsWith("get", StringComparison.Ordinal) && x.JsonObject is { } body && !body.ContainsKey("error") && body.ContainsKey("status");

    public static readonly Check Envelope = new(
        "errors.envelope.shape", "Every 4xx and 5xx answer has the body {\"error\": {\"code\": …, \"message\": …}}",
        new("ERR-01"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in ErrorAnswers(o))
            {
                var problems = Expect.EnvelopeProblems(x);
                v.When(problems.Count > 0, x, () => $"Expected: {{\"error\": {{\"code\": \"…\", \"message\": \"…\"}}}}\nReceived: {string.Join("; ", problems)}; body: {x.Excerpt(150)}");
            }
            return v.Result();
        });

    public static readonly Check CodeLowerSnake = new(
        "errors.envelope.code-lower-snake", "error.code is a non-empty lower_snake_case string",
        new("ERR-02"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in ErrorAnswers(o))
                if (x.ErrorCode() is { } code)
                    v.When(!LowerSnake().IsMatch(code), x, () => $"Expected: error.code matching ^[a-z][a-z0-9_]*$\nReceived: \"{code}\"");
            return v.Result();
        });

    public static readonly Check JsonContentType = new(
        "errors.envelope.json-content-type", "Every 4xx and 5xx answer is sent as application/json",
        new("ERR-05"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in ErrorAnswers(o))
                v.When(!x.IsJsonContentType, x, () => $"Expected: Content-Type application/json on HTTP {x.Status}\nReceived: {x.ContentType ?? "(no Content-Type)"}");
            return v.Result();
        });

    public static readonly Check CodeMatchesStatus = new(
        "errors.envelope.code-matches-status", "A code from the spec's table comes with its HTTP status (session_not_found with 404, …)",
        new("ERR-06"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in ErrorAnswers(o))
                if (x.ErrorCode() is { } code && StatusByCode.TryGetValue(code, out var status))
                    v.When(x.Status != status, x, () => $"Expected: HTTP {status} with error.code \"{code}\"\nReceived: HTTP {x.Status}");
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [Envelope, CodeLowerSnake, JsonContentType, CodeMatchesStatus];
}
