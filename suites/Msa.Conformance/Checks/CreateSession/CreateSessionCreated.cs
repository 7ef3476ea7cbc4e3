using System.Text.Json.Nodes;
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

    /// <summary>Every 2xx answer (201 exactly is CRE-01's) to a valid Create in the scenario (the plain one, the client-id one, one per upload method).</summary>
    private static List<Exchange> Created(Observations o)
    {
        var found = o.Run.Exchanges.Where(x => x.Method == "POST" && x.Step.StartsWith("create", StringComparison.Ordinal) && x.Accepted).ToList();
        return found.Count > 0 ? found : throw o.Run.Unreached("Create Session never accepted a valid body, see CRE-01");
    }

    public static readonly Check Answers201 = new(
        "create-session.201", "Create Session with a valid body answers 201 Created",
        new("CRE-01"), Scenario.CreateSession, o =>
        {
            var x = o.Run.Need(o.Run.Create, "no Create was sent");
            if (!x.GotResponse) throw new NotReached(Verdict.Inconclusive, $"no answer: {x.TransportError}");
            Expect.NotRefusedCredential(x);
            if (x.Status is 404 or 405) throw new NotReached(Verdict.Inconclusive, $"{x.Summary()}: no route at the URL built from endpoints.base_url (see DISC-14)");
            // Every attempt counts: a retried 500 is still this row's failure, though the retry let the scenario go on.
            var v = new Violations();
            foreach (var attempt in o.Run.Exchanges.Where(e => e.GotResponse && ScenarioDriver.IsAttemptOf(e.Step, "create")))
                v.When(attempt.Status != 201, attempt, () => $"Expected: HTTP 201 for a valid body\nReceived: HTTP {attempt.Status}: {attempt.Excerpt(200)}");
            return v.Result();
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
            foreach (var x in WithBothTimes(o))
                v.When(Lifetime(x, Instant) is not { } life || life <= TimeSpan.Zero, x,
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
                var created = ServerClock.Parse(x.Text("created_at")); // its format is CRE-04's
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
            foreach (var x in WithBothTimes(o))
                v.When(Lifetime(x, ServerClock.Parse) is not { } life || (life - expected).Duration() > Tolerance, x,
                    () => $"Expected: expires_at − created_at = {expected.TotalSeconds:0} s ± 120 s (--expected-session-lifetime)\nReceived: "
                        + (Lifetime(x, ServerClock.Parse) is { } life ? $"{life.TotalSeconds:0.###} s" : "unreadable timestamps"));
            return v.Result();
        });

    public static readonly Check LifetimeOfTheModel = new(
        "create-session.model-lifetime", "A Create naming a model gets expires_at = created_at + that model's max_session_duration_seconds (± 120 s)",
        new("EXP-02"), Scenario.CreateSession, o =>
        {
            var models = (o.Discovery?["models"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(m => (Id: Rules.TextOf(m["id"]), Seconds: m["max_session_duration_seconds"] is JsonValue n && n.TryGetValue<double>(out var d) && d > 0 ? d : (double?)null))
                .Where(m => m.Id is not null && o.Run.Probes.ContainsKey(ProbeNames.ModelCreate(m.Id))).ToList();
            if (models.Count == 0) throw new NotReached(Verdict.NotApplicable, "discovery lists no model to name in a Create");
            var v = new Violations();
            var notes = new List<string>();
            foreach (var (id, seconds) in models)
            {
                var x = o.Run.Probes[ProbeNames.ModelCreate(id!)];
                // A model without a readable duration is DISC-26's finding; a refused Create names no lifetime (CRE-01, CRE-23).
                if (seconds is null) { notes.Add($"{id}: discovery gives no positive max_session_duration_seconds (see DISC-26)"); continue; }
                if (!x.Accepted || Lifetime(x, ServerClock.Parse) is not { } life) { notes.Add($"{id}: {x.Summary()} gave no readable lifetime (see CRE-01, CRE-02)"); continue; }
                v.When((life - TimeSpan.FromSeconds(seconds.Value)).Duration() > Tolerance, x,
                    () => $"Expected: expires_at − created_at = {seconds:0.###} s ± 120 s (max_session_duration_seconds of model {id})\nReceived: {life.TotalSeconds:0.###} s");
                notes.Add($"{id}: {life.TotalSeconds:0.###} s for {seconds:0.###} s");
            }
            if (v.Count == 0 && notes.All(n => n.Contains("see ")))
                throw new NotReached(Verdict.Inconclusive, "no Create naming a model gave a lifetime to compare: " + string.Join("; ", notes));
            return v.Result(string.Join("; ", notes) + ".");
        });

    public static readonly Check UploadUrlAbsolute = new(
        "create-session.upload-url-absolute", "upload_url is an absolute URL",
        new("CRE-06"), Scenario.CreateSession, o =>
        {
            var v = new Violations();
            foreach (var x in Created(o))
                v.When(!Rules.IsWebUrl(x.Text("upload_url"), out _), x,
                    () => $"Expected: an absolute URL (scheme and host)\nReceived: upload_url {Rules.Show(x.JsonObject?["upload_url"])}");
            return v.Result();
        });

    public static readonly Check UploadUrlIsUploadEndpoint = new(
        "create-session.upload-url-endpoint", "For a chunked session, upload_url is {base_url}/sessions/{session_id}/audio, so {upload_url}/{file_name} is Upload Audio",
        new("CRE-08"), Scenario.CreateSession, o =>
        {
            var x = o.Run.Need(o.Run.Create, "no Create was sent");
            if (!x.Accepted || o.Run.SessionId is null) throw o.Run.Unreached("the plain Create was not accepted, see CRE-01");
            if (!Rules.IsWebUrl(x.Text("upload_url"), out var given))
                throw new NotReached(Verdict.Inconclusive, $"upload_url {Rules.Show(x.JsonObject?["upload_url"])} is not an absolute URL, see CRE-06");
            var expected = $"{x.Url.TrimEnd('/')}/{Uri.EscapeDataString(o.Run.SessionId)}/audio";
            // The scheme is SEC-01's / CRE-07's business: compare everything after it.
            return new Violations().When(!ScenarioDriver.SameUrlIgnoringScheme(given.AbsoluteUri, expected), x,
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
            if (!x.Accepted) Expect.BaselineAccepted(o.Run);
            var requested = System.Text.Json.Nodes.JsonNode.Parse(x.RequestBody!)!["session_id"]!.GetValue<string>();
            var v = new Violations().When(x.Status != 201 || x.Text("session_id") != requested, x,
                () => $"Expected: 201 with session_id \"{requested}\"\nReceived: HTTP {x.Status}, session_id {Rules.Show(x.JsonObject?["session_id"])}");
            // "Addresses the session": GET by that id finds a session. Which code and which session_id it reports are GET-PAIR-12's and GET-PAIR-17's.
            if (o.Run.Probes.GetValueOrDefault(ProbeNames.ClientIdRead) is { GotResponse: true } read)
                v.When(!Rules.IsSessionCode(read.Status), read,
                    () => $"Expected: GET of that id answers with the session (202, 200, 206 or 410)\nReceived: HTTP {read.Status}: {read.Excerpt(200)}");
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
                if (x.Status is 404 or 405 && method == "chunked") throw o.Run.Unreached($"{x.Summary()}: no Create route at base_url (see DISC-14)");
                // The plain Create is the chunked probe and the baseline at once: refused, it says nothing about upload_type (CRE-01 judges it).
                if (!x.Accepted && method == "chunked")
                    throw new NotReached(Verdict.Inconclusive, $"not reached: the plain Create was not accepted ({x.Summary()}; see CRE-01), so no upload_type can be judged by it");
                if (!x.Accepted) Expect.BaselineAccepted(o.Run);
                if (!x.Accepted) broken.Add(method);
                v.When(!x.Accepted, x, () => $"Expected: a 2xx acceptance (201: see CRE-01) for upload_type \"{method}\"\nReceived: HTTP {x.Status}: {x.Excerpt(200)}");
            }
            return Capabilities.DeclaredButBroken(v.Result(), Feature.UploadMethod, string.Join(", ", broken));
        });

    public static IReadOnlyList<Check> All =>
    [
        Answers201, Fields, StatusCreated, ExpiresAfterCreated, CreatedAtIsNow, LifetimeAsExpected, LifetimeOfTheModel, UploadUrlAbsolute,
        UploadUrlIsUploadEndpoint, JsonContentType, ClientSessionId, AdvertisedUploadMethodsAccepted,
    ];

    /// <summary>The accepted Creates whose body has both timestamps as strings; that they are there at all is CRE-02's.</summary>
    private static List<Exchange> WithBothTimes(Observations o)
    {
        var found = Created(o).Where(x => x.Text("created_at") is not null && x.Text("expires_at") is not null).ToList();
        return found.Count > 0 ? found : throw new NotReached(Verdict.Inconclusive, "no accepted Create body has both created_at and expires_at, see CRE-02");
    }

    /// <summary>expires_at − created_at, the times read by `read`: strictly for CRE-04, leniently (no zone = UTC) where their format is CRE-04's.</summary>
    private static TimeSpan? Lifetime(Exchange x, Func<string?, DateTimeOffset?> read) =>
        read(x.Text("created_at")) is { } created && read(x.Text("expires_at")) is { } expires ? expires - created : null;

    private static DateTimeOffset? Instant(string? text) =>
        text is not null && SchemaValidator.IsRfc3339(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
}
