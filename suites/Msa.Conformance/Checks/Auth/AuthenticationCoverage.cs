using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Auth;

/// <summary>Each request authenticated on its own (AUTH-11), and the profile's key form accepted everywhere (AUTH-05, AUTH-06).</summary>
public static partial class AuthenticationCoverage
{
    public static readonly Check PerRequest = new(
        "auth.credential.per-request", "A credential-less GET sent right after an authenticated one, by the same client, is still answered 401",
        new("AUTH-11"), Scenario.Unauthenticated, o =>
        {
            var before = Expect.Answered(o.Run, ScenarioDriver.AuthenticatedGet);
            if (Authentication.IsAuthRefusal(before)) throw new NotReached(Verdict.Inconclusive, $"the authenticated GET itself was answered 401: {before.Summary()}");
            if (o.Run.Probes.GetValueOrDefault(Probe.NoCredential("get")) is { GotResponse: true } alone && !Authentication.IsAuthRefusal(alone))
                throw new NotReached(Verdict.Inconclusive, $"a credential-less GET on a connection of its own was already answered {alone.Status}, not refused, so nothing can carry over: see AUTH-01");
            var x = Expect.Answered(o.Run, ScenarioDriver.CredentialLessGetAfter);
            // Refused is what this row asks; that the refusal is 401 exactly is AUTH-01's finding.
            return new Violations().When(!Authentication.IsAuthRefusal(x), x, () => "Expected: HTTP 401 (the earlier authenticated call must not carry over)\n"
                + $"Received: HTTP {x.Status}{(x.ErrorCode() is { } c ? $" ({c})" : "")} right after {before.Summary()}")
                .Result($"{x.Summary()}: refused{(x.Status == 401 ? "" : " (not 401: see AUTH-01)")}.");
        });

    public static readonly Check BearerEverywhere = KeyFormAccepted(AuthScheme.Bearer, "AUTH-05");

    public static readonly Check ApiKeyHeaderEverywhere = KeyFormAccepted(AuthScheme.XApiKey, "AUTH-06");

    /// <summary>Cookie names that mark a session or credential cookie; others (e.g. a load balancer's) are not authentication cookies.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("sess|auth|token|jwt|sid|login|cred", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex AuthenticationCookieName();

    public static readonly Check CookiesProtected = new(
        "auth.cookies.protected", "Every authentication cookie the service sets has HttpOnly, Secure and SameSite Strict or Lax",
        new("AUTH-17"), Scenario.All, o =>
        {
            var cookies = o.All.SelectMany(r => r.Exchanges).SelectMany(x => x.ResponseHeaders
                .Where(h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)).Select(h => (X: x, Cookie: h.Value))).ToList();
            if (cookies.Count == 0) throw new NotReached(Verdict.NotApplicable, "the service set no cookie in any answer of this run");
            var v = new Violations();
            var others = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (x, cookie) in cookies)
            {
                var parts = cookie.Split(';').Select(p => p.Trim()).ToList();
                var name = parts[0].Split('=')[0];
                if (!AuthenticationCookieName().IsMatch(name)) { others.Add(name); continue; }
                var missing = MissingCookieAttributes(parts.Skip(1).ToList());
                // The value is a credential: only the name and attributes are shown.
                v.When(missing.Count > 0, x, () => $"Expected: cookie {name} with HttpOnly, Secure and SameSite=Strict or Lax\nReceived: {name}=(redacted); missing {string.Join(", ", missing)}");
            }
            return v.Result(others.Count == 0 ? null : $"Not authentication cookies by name, so not judged: {string.Join(", ", others)}.");
        });

    private static List<string> MissingCookieAttributes(List<string> attributes)
    {
        bool Has(string flag) => attributes.Any(a => a.Equals(flag, StringComparison.OrdinalIgnoreCase));
        var sameSite = attributes.Select(a => a.Split('=', 2)).FirstOrDefault(a => a[0].Trim().Equals("SameSite", StringComparison.OrdinalIgnoreCase))?.ElementAtOrDefault(1)?.Trim();
        var missing = new List<string>();
        if (!Has("HttpOnly")) missing.Add("HttpOnly");
        if (!Has("Secure")) missing.Add("Secure");
        if (sameSite is null || !(sameSite.Equals("Strict", StringComparison.OrdinalIgnoreCase) || sameSite.Equals("Lax", StringComparison.OrdinalIgnoreCase)))
            missing.Add($"SameSite=Strict or Lax (got {sameSite ?? "none"})");
        return missing;
    }

    public static readonly Check SecondKeyInterchangeable = new(
        "auth.credential.second-key-interchangeable", "A second active key of the client reads a session the first created, and the first reads one the second created",
        new("AUTH-12"), Scenario.Unauthenticated, o =>
        {
            if (o.Options.SecondKey.Length == 0)
                throw new NotReached(Verdict.NotApplicable, "no second key of this client was given (set MSA_SecondKey to a second active key of the same client to check this)");
            var v = new Violations();
            var read = Expect.Answered(o.Run, Probe.SecondKeyRead);
            v.When(!Rules.IsSessionCode(read.Status), read, () => $"Expected: the second key reads the session the first key created (202)\nReceived: HTTP {read.Status}: {read.Excerpt(150)}");
            var created = Expect.Answered(o.Run, Probe.SecondKeyCreate);
            v.When(!created.Accepted, created, () => $"Expected: the second key creates a session (201)\nReceived: HTTP {created.Status}: {created.Excerpt(150)}");
            if (o.Run.Probes.GetValueOrDefault(Probe.FirstKeyReadsSecondKeySession) is { GotResponse: true } back)
                v.When(!Rules.IsSessionCode(back.Status), back, () => $"Expected: the first key reads the session the second key created (202)\nReceived: HTTP {back.Status}: {back.Excerpt(150)}");
            return v.Result("Both keys work, each on the other's session.");
        });

    public static readonly Check OtherTenantSeesNothing = new(
        "auth.tenant.other-client-refused", "Another client's key can neither read, upload to nor end this client's session (404 or 403), and the session is left unchanged",
        new("ISO-04"), Scenario.Unauthenticated, o =>
        {
            Expect.OtherTenantKeyGiven(o);
            var v = new Violations();
            // A presigned upload_url is its own credential (whoever holds it may PUT, spec 7.3): no upload was tried with the other key.
            var tried = OtherTenantRequests.Where(e => o.Run.Probes.ContainsKey(Probe.OtherTenant(e)) || e != "upload" || Upload.UploadLog.PresignedUploadUrl(o.Run) is null).ToList();
            foreach (var endpoint in tried)
            {
                var x = Expect.Answered(o.Run, Probe.OtherTenant(endpoint));
                v.When(x.Status is not (404 or 403), x, () => $"Expected: 404 (preferred: no existence leak) or 403 forbidden for {endpoint} with another client's key\nReceived: HTTP {x.Status}: {x.Excerpt(150)}");
            }
            var before = Expect.Answered(o.Run, Probe.OwnerBeforeOtherTenant);
            var after = Expect.Answered(o.Run, Probe.OwnerAfterOtherTenant);
            static string State(Http.Exchange x) => $"{x.Status} {x.BodyStatus}, audio_files_received {Rules.Show(x.JsonObject?["audio_files_received"])}";
            v.When(State(before) != State(after), after, () => $"Expected: the session unchanged by the other client's requests ({State(before)})\nReceived: {State(after)}");
            return v.Result($"Refused: {string.Join(", ", tried.Select(e => $"{e} {o.Run.Probes[Probe.OtherTenant(e)].Status}"))}; the session is still {State(after)}."
                + (tried.Count < OtherTenantRequests.Count() ? " Upload not tried: upload_url is a presigned storage URL, its signature the credential (see UPL-05)." : ""));
        });

    /// <summary>What another client's key tries on this client's session (ScenarioDriver.Access sends them in this order).</summary>
    private static readonly string[] OtherTenantRequests = ["get", "upload", "end"];

    public static IReadOnlyList<Check> All => [PerRequest, BearerEverywhere, ApiKeyHeaderEverywhere, CookiesProtected, SecondKeyInterchangeable, OtherTenantSeesNothing];

    private static readonly string[] Endpoints = ["create", "upload", "end", "get"];

    /// <summary>
    /// Each authenticated endpoint accepted the key in `scheme`'s form at least once in the run: an endpoint that
    /// answered 401 to every correctly-keyed request fails. Deliberately bad credentials are never sent this way.
    /// </summary>
    private static Check KeyFormAccepted(AuthScheme scheme, string id)
    {
        var form = scheme == AuthScheme.Bearer ? "Authorization: Bearer <key>" : "X-API-Key: <key>";
        return new Check($"auth.credential.{(scheme == AuthScheme.Bearer ? "bearer" : "x-api-key")}-accepted",
            $"The API key sent as {form} is accepted by Create, Upload, End and Get Session", new(id), Scenario.All, o =>
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
            });
    }

    /// <summary>The request carried the run's own key (not a deliberately wrong one) in the scheme's header.</summary>
    private static bool SentKey(Exchange x, AuthScheme scheme) =>
        !x.Step.Contains("wrong credential", StringComparison.Ordinal) && x.RequestHeaders.Any(h => scheme == AuthScheme.Bearer
            ? h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && h.Value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            : h.Key.Equals("X-API-Key", StringComparison.OrdinalIgnoreCase));

    private static string? Endpoint(Exchange x) => Endpoints.FirstOrDefault(e => x.Step.StartsWith(e, StringComparison.Ordinal))
        is { } e && (e == "get") == (x.Method == "GET") ? e : null;
}
