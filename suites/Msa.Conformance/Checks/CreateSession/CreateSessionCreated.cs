using System.Globalization;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.CreateSession;

/// <summary>Create Session with a valid body: 201, its field set and values, the client-chosen id, the advertised upload methods.</summary>
public static class CreateSessionCreated
{
    private const string Eka = "eka create-session";
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(120);

    /// <summary>Every 201 answer to a valid Create in the scenario (the plain one, the client-id one, one per upload method).</summary>
    private static List<Exchange> Created(Observations o)
    {
        var found = o.Run.Exchanges.Where(x => x.Method == "POST" && x.Step.StartsWith("create", StringComparison.Ordinal) && x.Status == 201).ToList();
        return found.Count > 0 ? found : throw o.Run.Unreached("Create Session never answered 201");
    }

    public static readonly Check Answers201 = new(
        "create-session.201", "Create Session with a valid body answers 201 Created",
        new("CRE-01"), Scenario.CreateSession, o =>
        {
            var x = o.Run.Need(o.Run.Create, "no Create was sent");
            if (!x.GotResponse) throw new NotReached(Verdict.Inconclusive, $"no answer: {x.TransportError}");
            return new Violations().When(x.Status != 201, x, () => $"Expected: HTTP 201 for a valid body\nReceived: HTTP {x.Status}: {x.Excerpt(200)}").Result();
        });

    public static readonly Check Fields = new(
        "create-session.fields", "The 201 body has session_id, status, created_at, expires_at and upload_url (schemas/create-session-201.json)",
        new("CRE-02"), Scenario.CreateSession, o => Rules.MatchesSchema(Created(o), "create-session-201.json"));

    public static readonly Check StatusCreated = new(
        "create-session.status-created", "The 201 body's status is \"created\"",
        new("CRE-03"), Scenario.CreateSession, o =>
        {
            var v = new Violations();
            foreach (var x in Created(o)) v.When(x.BodyStatus != "created", x, () => $"Expected: status \"created\"\nReceived: {Rules.Show(x.JsonObject?["status"])}");
            return v.Result();
        });

    public static readonly Check ExpiresAfterCreated = new(
        "create-session.expires-after-created", "expires_at is later than created_at, both RFC 3339 date-times",
        new("CRE-04"), Scenario.CreateSession, o =>
        {
            var v = new Violations();
            foreach (var x in Created(o))
                v.When(Lifetime(x) is not { } life || life <= TimeSpan.Zero, x,
                    () => $"Expected: expires_at after created_at\nReceived: created_at {Rules.Show(x.JsonObject?["created_at"])}, expires_at {Rules.Show(x.JsonObject?["expires_at"])}");
            return v.Result();
        });

    public static readonly Check CreatedAtIsNow = new(
        "create-session.created-at-now", "created_at is within 120 s of the time of the request",
        new("CRE-05"), Scenario.CreateSession, o =>
        {
            var v = new Violations();
            foreach (var x in Created(o))
            {
                var created = Instant(x.Text("created_at"));
                v.When(created is null || (created.Value - x.StartedAt).Duration() > Tolerance + x.Elapsed, x,
                    () => $"Expected: created_at within 120 s of {x.StartedAt:O} (when the request was sent)\nReceived: {Rules.Show(x.JsonObject?["created_at"])}");
            }
            return v.Result();
        });

    public static readonly Check LifetimeAsExpected = new(
        "create-session.lifetime", "expires_at is about the expected session lifetime after created_at (one hour on EkaScribe, ± 120 s)",
        new("EXP-01"), Scenario.CreateSession, o =>
        {
            var expected = TimeSpan.FromSeconds(o.Options.ExpectedSessionLifetimeSeconds);
            var v = new Violations();
            foreach (var x in Created(o))
                v.When(Lifetime(x) is not { } life || (life - expected).Duration() > Tolerance, x,
                    () => $"Expected: expires_at − created_at = {expected.TotalSeconds:0} s ± 120 s (--expected-session-lifetime)\nReceived: "
                        + (Lifetime(x) is { } life ? $"{life.TotalSeconds:0.###} s" : "unreadable timestamps"));
            return v.Result();
        });

    public static readonly Check UploadUrlAbsolute = new(
        "create-session.upload-url-absolute", "upload_url is an absolute URL",
        new("CRE-06"), Scenario.CreateSession, o =>
        {
            var v = new Violations();
            foreach (var x in Created(o))
                v.When(!Uri.TryCreate(x.Text("upload_url"), UriKind.Absolute, out var u) || u.Scheme is not ("https" or "http" or "wss" or "ws"), x,
                    () => $"Expected: an absolute URL (scheme and host)\nReceived: upload_url {Rules.Show(x.JsonObject?["upload_url"])}");
            return v.Result();
        });

    public static readonly Check UploadUrlIsUploadEndpoint = new(
        "create-session.upload-url-endpoint", "For a chunked session, upload_url is {base_url}/sessions/{session_id}/audio, so {upload_url}/{file_name} is Upload Audio",
        new("CRE-08"), Scenario.CreateSession, o =>
        {
            var x = o.Run.Need(o.Run.Create, "no Create was sent");
            if (x.Status != 201 || o.Run.SessionId is null) throw o.Run.Unreached("the plain Create did not answer 201");
            var expected = $"{x.Url.TrimEnd('/')}/{Uri.EscapeDataString(o.Run.SessionId)}/audio";
            return new Violations().When(x.Text("upload_url")?.TrimEnd('/') != expected, x,
                () => $"Expected: upload_url \"{expected}\"\nReceived: {Rules.Show(x.JsonObject?["upload_url"])}").Result();
        });

    public static readonly Check JsonContentType = new(
        "create-session.json-content-type", "The 201 answer is sent as application/json",
        new("CRE-37"), Scenario.CreateSession, o =>
        {
            var v = new Violations();
            foreach (var x in Created(o)) v.When(!x.IsJsonContentType, x, () => $"Expected: Content-Type application/json\nReceived: {x.ContentType ?? "(no Content-Type)"}");
            return v.Result();
        });

    public static readonly Check ClientSessionId = new(
        "create-session.client-session-id", "A client-chosen session_id (25 characters, with '-') is returned unchanged and addresses the session",
        new("CRE-14"), Scenario.CreateSession, o =>
        {
            var x = o.Run.Need(o.Run.Probes.GetValueOrDefault(ProbeNames.ClientIdCreate), "no Create with a client session_id was sent");
            if (!x.GotResponse) throw new NotReached(Verdict.Inconclusive, $"no answer: {x.TransportError}");
            var requested = System.Text.Json.Nodes.JsonNode.Parse(x.RequestBody!)!["session_id"]!.GetValue<string>();
            var v = new Violations().When(x.Status != 201 || x.Text("session_id") != requested, x,
                () => $"Expected: 201 with session_id \"{requested}\"\nReceived: HTTP {x.Status}, session_id {Rules.Show(x.JsonObject?["session_id"])}");
            if (o.Run.Probes.GetValueOrDefault(ProbeNames.ClientIdRead) is { } read)
                v.When(read.Status != 202 || read.Text("session_id") != requested, read,
                    () => $"Expected: GET of that id answers 202 with session_id \"{requested}\"\nReceived: HTTP {read.Status}, session_id {Rules.Show(read.JsonObject?["session_id"])}");
            return v.Result();
        });

    public static readonly Check AdvertisedUploadMethodsAccepted = new(
        "create-session.advertised-upload-methods", "Create accepts every upload_type that discovery advertises in capabilities.upload_methods",
        new("DISC-39"), Scenario.CreateSession, o =>
        {
            var methods = o.Capabilities.Declared(Feature.UploadMethod);
            if (methods.Count == 0) throw new NotReached(Verdict.NotApplicable, "discovery advertises no upload method");
            var v = new Violations();
            var broken = new List<string>();
            foreach (var method in methods.Distinct())
            {
                var x = method == "chunked" ? o.Run.Create : o.Run.Probes.GetValueOrDefault(ProbeNames.UploadMethodCreate(method));
                if (x is null || !x.GotResponse) continue;
                if (x.Status != 201) broken.Add(method);
                v.When(x.Status != 201, x, () => $"Expected: 201 for upload_type \"{method}\"\nReceived: HTTP {x.Status}: {x.Excerpt(200)}");
            }
            return Capabilities.DeclaredButBroken(v.Result(), Feature.UploadMethod, string.Join(", ", broken));
        });

    public static IReadOnlyList<Check> All =>
    [
        Answers201, Fields, StatusCreated, ExpiresAfterCreated, CreatedAtIsNow, LifetimeAsExpected, UploadUrlAbsolute,
        UploadUrlIsUploadEndpoint, JsonContentType, ClientSessionId, AdvertisedUploadMethodsAccepted,
    ];

    private static TimeSpan? Lifetime(Exchange x) =>
        Instant(x.Text("created_at")) is { } created && Instant(x.Text("expires_at")) is { } expires ? expires - created : null;

    private static DateTimeOffset? Instant(string? text) =>
        text is not null && SchemaValidator.IsRfc3339(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
}
