using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Auth;

/// <summary>Each request authenticated on its own (AUTH-11), and the profile's key form accepted everywhere (AUTH-05, AUTH-06).</summary>
public static class AuthenticationCoverage
{
    public static readonly Check PerRequest = new(
        "auth.credential.per-request", "A credential-less GET sent right after an authenticated one, by the same client, is still answered 401",
        new("AUTH-11", Must, "spec 5.5"), Scenario.Unauthenticated, o =>
        {
            var before = Expect.Answered(o.Run, ScenarioDriver.AuthenticatedGet);
            if (before.Status == 401) throw new NotReached(Verdict.Inconclusive, $"the authenticated GET itself was answered 401: {before.Summary()}");
            var x = Expect.Answered(o.Run, ScenarioDriver.CredentialLessGetAfter);
            return new Violations().When(x.Status != 401, x, () => "Expected: HTTP 401 (the earlier authenticated call must not carry over)\n"
                + $"Received: HTTP {x.Status}{(x.ErrorCode() is { } c ? $" ({c})" : "")} right after {before.Summary()}").Result();
        });

    public static readonly Check BearerEverywhere = KeyFormAccepted(ProtocolProfile.Ekascribe, AuthScheme.Bearer, "AUTH-05", "eka overview; seed (http bearer)");

    public static readonly Check ApiKeyHeaderEverywhere = KeyFormAccepted(ProtocolProfile.MsaDraft, AuthScheme.XApiKey, "AUTH-06", "spec 5.1; msa schema");

    public static IReadOnlyList<Check> All => [PerRequest, BearerEverywhere, ApiKeyHeaderEverywhere];

    private static readonly string[] Endpoints = ["create", "upload", "end", "get"];

    /// <summary>
    /// Each authenticated endpoint accepted the key in `scheme`'s form at least once in the run: an endpoint that
    /// answered 401 to every correctly-keyed request fails. Deliberately bad credentials are never sent this way.
    /// </summary>
    private static Check KeyFormAccepted(ProtocolProfile profile, AuthScheme scheme, string id, string source)
    {
        var form = scheme == AuthScheme.Bearer ? "Authorization: Bearer <key>" : "X-API-Key: <key>";
        return new Check($"auth.credential.{(scheme == AuthScheme.Bearer ? "bearer" : "x-api-key")}-accepted",
            $"The API key sent as {form} is accepted by Create, Upload, End and Get Session", new(id, Must, source), Scenario.All, o =>
            {
                if (o.Options.AuthScheme != scheme)
                    throw new NotReached(Verdict.NotApplicable, $"this run sends the key as {o.Options.AuthScheme} (--auth), not {form}");
                var keyed = o.All.SelectMany(r => r.Exchanges).Where(x => x.GotResponse && SentKey(x, scheme)).ToList();
                var v = new Violations();
                foreach (var endpoint in Endpoints)
                {
                    var sent = keyed.Where(x => Endpoint(x) == endpoint).ToList();
                    if (sent.Count == 0) throw new NotReached(Verdict.Inconclusive, $"no {endpoint} request with the key was answered");
                    v.When(sent.All(x => x.Status == 401), sent[0], () => $"Expected: {endpoint} to accept the key sent as {form}\nReceived: HTTP 401 to all {sent.Count} such request(s)");
                }
                return v.Result($"Create, Upload, End and Get Session each accepted the key sent as {form}.");
            }) { Profile = profile };
    }

    /// <summary>The request carried the run's own key (not a deliberately wrong one) in the scheme's header.</summary>
    private static bool SentKey(Exchange x, AuthScheme scheme) =>
        !x.Step.Contains("wrong credential", StringComparison.Ordinal) && x.RequestHeaders.Any(h => scheme == AuthScheme.Bearer
            ? h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && h.Value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            : h.Key.Equals("X-API-Key", StringComparison.OrdinalIgnoreCase));

    private static string? Endpoint(Exchange x) => Endpoints.FirstOrDefault(e => x.Step.StartsWith(e, StringComparison.Ordinal))
        is { } e && (e == "get") == (x.Method == "GET") ? e : null;
}
