using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks;

/// <summary>Small named expectations the areas' checks are written with; each failure says Expected and Received.</summary>
public static class Rules
{
    /// <summary>The seed's pairing table: body status by HTTP code for Get Session.</summary>
    public static readonly IReadOnlyDictionary<int, string[]> StatusesByCode = new Dictionary<int, string[]>
    {
        [202] = ["processing", "initialized"],
        [200] = ["completed", "failed"],
        [206] = ["partial"],
        [410] = ["expired"],
    };

    /// <summary>Codes whose answer is a session body (everything else is an error envelope).</summary>
    public static bool IsSessionCode(int status) => StatusesByCode.ContainsKey(status);

    /// <summary>An accepted Create Session: a 2xx answer to a POST of {base_url}/sessions.</summary>
    public static bool IsAcceptedCreate(Exchange x) => x.Accepted && IsCreate(x);

    /// <summary>A Create Session request: a POST of {base_url}/sessions, whatever it got.</summary>
    public static bool IsCreate(Exchange x) => x.Method == "POST" && x.Url.TrimEnd('/').EndsWith("/sessions", StringComparison.Ordinal);

    /// <summary>A session code that ends the wait: 200, 206 or 410 (202 is still pending).</summary>
    public static bool IsTerminalCode(int status) => IsSessionCode(status) && status != 202;

    /// <summary>Every Get Session answer that should carry a session body, with the run it belongs to.</summary>
    public static IEnumerable<(ScenarioRun Run, Exchange X)> SessionBodies(Observations o) =>
        o.OwnSessionGets.Where(p => p.X.GotResponse && IsSessionCode(p.X.Status));

    /// <summary>
    /// A session body: a JSON object with a session_id and a status string. An error body that happens to carry a
    /// top-level "status" (404 {"status": "failed", "detail": …}) is not a session in that state.
    /// </summary>
    public static bool IsSessionBody(Exchange x) => x.Text("session_id") is not null && x.BodyStatus is not null;

    /// <summary>
    /// The answer is another session's (a crossed answer), which only GET-PAIR-17 and ISO-12 judge: marked so by the
    /// driver, or a body naming another session id that is one of the run's (`known`) or that comes with another
    /// created_at than this session's Create gave. A mangled id with this session's created_at is GET-PAIR-17's alone.
    /// </summary>
    public static bool Crossed(Func<string, bool> known, ScenarioRun r, Exchange x) =>
        x.AnswersAnotherSession || (x.Text("session_id") is { } id && id != r.SessionId
            && (known(id) || r.CreatedAt is { } created && x.Text("created_at") is { } other && other != created));

    /// <summary>
    /// An absolute http(s)/ws(s) URL with a host. (On Unix, Uri also takes "/a/path" as an absolute file: URI, which no
    /// client could call.)
    /// </summary>
    public static bool IsWebUrl(string? value, out Uri uri)
    {
        uri = null!;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https" or "ws" or "wss") || u.Host.Length == 0) return false;
        uri = u;
        return true;
    }

    public static string? Text(this Exchange x, string field) => TextOf(x.JsonObject?[field]);

    /// <summary>The node's value when it is a JSON string; null for anything else (absent, null, number, object…).</summary>
    public static string? TextOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool Has(this Exchange x, string field) => x.JsonObject?.ContainsKey(field) == true;

    public static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    /// <summary>Validates each exchange's body against schemas/{file}; the failure lists each body's violations.</summary>
    public static CheckResult MatchesSchema(IEnumerable<Exchange> exchanges, string file, string? passNote = null)
    {
        var v = new Violations();
        foreach (var x in exchanges)
        {
            var errors = x.JsonObject is null ? [$"the body is not a JSON object ({x.JsonError ?? "it is " + x.Json?.GetValueKind()}): {x.Excerpt(200)}"]
                : SchemaValidator.Validate(file, x.Body);
            v.When(errors.Count > 0, x, () => $"Expected: a body valid against schemas/{file}\nReceived: {string.Join("; ", errors.Take(8))}");
        }
        return v.Result(passNote);
    }
}
