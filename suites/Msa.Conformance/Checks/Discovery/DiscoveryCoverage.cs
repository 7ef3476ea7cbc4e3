using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Discovery;

/// <summary>The discovery requirements the field table does not cover: the answer itself, service.name, the two models, the OIDC block.</summary>
public static class DiscoveryCoverage
{
    public static readonly Check JsonObjectAnswer = new(
        "discovery.answer-200-json-object", "The well-known discovery location answers 200 with a JSON object",
        new("DISC-01"), Scenario.Discovery, o =>
        {
            var (first, _) = DiscoveryFields.Document(o);
            // Every answer from the run's discovery URL (the first fetch and the repeated probes), not just the first.
            // A refusal of a request without a credential is DISC-04's finding; the answers to credentialed requests are judged here.
            var answers = o.Run.Exchanges.Where(x => x.Url == first.Url && x.GotResponse && x.Status is not (401 or 403)).ToList();
            var v = new Violations();
            foreach (var x in answers)
                v.When(x.Status != 200 || x.JsonObject is null, x, () => $"Expected: HTTP 200 with a JSON object body at {x.Url}\n"
                    + $"Received: HTTP {x.Status}, {(x.JsonObject is null ? $"body not a JSON object ({x.JsonError ?? "it is " + x.Json?.GetValueKind()})" : "a JSON object")}");
            return v.Result();
        });

    public static readonly Check ServiceName = ServiceNameCheck(ProtocolProfile.Ekascribe, new("DISC-34", "CF-46", profile: ProtocolProfile.Ekascribe));

    public static readonly Check ServiceNameDraft = ServiceNameCheck(ProtocolProfile.MsaDraft, new("DISC-34", "CF-46", Should, ProtocolProfile.MsaDraft));

    public static readonly Check LiteAndPro = new(
        "discovery.models-lite-and-pro", "models offers lite and pro, the two values Create Session accepts for model",
        new("DISC-28"), Scenario.Discovery, o =>
        {
            var (x, _) = DiscoveryFields.Document(o);
            var missing = new[] { "lite", "pro" }.Except(o.Capabilities.Declared(Feature.Model)).ToList();
            return new Violations().When(missing.Count > 0, x, () =>
                $"Expected: models[].id to include lite and pro\nReceived: ids [{string.Join(", ", o.Capabilities.Declared(Feature.Model))}], missing {string.Join(", ", missing)}").Result();
        });

    private static readonly string[] OidcUrls = ["issuer", "authorization_endpoint", "token_endpoint"];

    public static readonly Check OidcBlock = new(
        "discovery.oidc-block", "When oidc is listed, authentication.oidc gives issuer, authorization_endpoint, token_endpoint (absolute URIs) and scopes_supported",
        new("DISC-18"), Scenario.Discovery, o =>
        {
            var (x, doc) = DiscoveryFields.Document(o);
            var methods = doc["authentication"]?["supported_methods"] as JsonArray ?? [];
            if (!methods.Any(m => Rules.TextOf(m) == "oidc"))
                throw new NotReached(Verdict.NotApplicable, "authentication.supported_methods does not list oidc");
            var block = doc["authentication"]?["oidc"] as JsonObject;
            // CF-46: msa-draft also takes the OIDC endpoints under endpoints.* (spec 4.4).
            if (block is null && o.Options.ProtocolProfile == ProtocolProfile.MsaDraft) block = doc["endpoints"] as JsonObject;
            var problems = OidcUrls.Where(f => !Uri.TryCreate(Rules.TextOf(block?[f]), UriKind.Absolute, out _)).Select(f => $"{f} is {Rules.Show(block?[f])}, not an absolute URI").ToList();
            if (block?["scopes_supported"] is not JsonArray scopes || scopes.Any(s => Rules.TextOf(s) is null))
                problems.Add($"scopes_supported is {Rules.Show(block?["scopes_supported"])}, not a list of strings");
            return new Violations().When(problems.Count > 0, x, () =>
                $"Expected: oidc listed, so authentication.oidc with {string.Join(", ", OidcUrls)} and scopes_supported\n"
                + $"Received: authentication.oidc = {Rules.Show(doc["authentication"]?["oidc"])}: {string.Join("; ", problems)}").Result();
        });

    /// <summary>The discovery fields that hold URLs a client connects to (SEC-01); OIDC ones only when the block is there.</summary>
    private static readonly string[] DiscoveredUrls =
        ["endpoints.base_url", "endpoints.webhooks_url", "endpoints.templates_url", "authentication.oidc.issuer",
         "authentication.oidc.authorization_endpoint", "authentication.oidc.token_endpoint"];

    public static readonly Check EveryUrlSecure = new(
        "discovery.urls-secure", "Every URL discovered or returned (base_url, webhooks_url, templates_url, OIDC endpoints, upload_url) is https (wss for a stream upload_url)",
        new("SEC-01"), Scenario.All, o =>
        {
            var urls = new SecureUrls();
            if (o.All.FirstOrDefault(r => r.Scenario == Scenario.Discovery)?.Probes.GetValueOrDefault(ProbeNames.Discovery) is { JsonObject: { } doc } d)
                foreach (var field in DiscoveredUrls)
                    if (DiscoveryFields.At(doc, field, out var present) is var node && present)
                        urls.Examine(d, field, Rules.TextOf(node), "https");
            // CF-16: msa-draft skips streaming, so a stream upload_url is judged only in ekascribe.
            urls.ExamineUploadUrls(o, stream: o.Options.ProtocolProfile == ProtocolProfile.Ekascribe);
            return urls.Result();
        });

    public static readonly Check UploadUrlScheme = new(
        "create-session.created.upload-url-scheme", "Create's upload_url is https for a chunked session and wss for a stream session",
        new("CRE-07"), Scenario.All, o =>
        {
            var urls = new SecureUrls();
            if (urls.ExamineUploadUrls(o, stream: true) == 0) throw new NotReached(Verdict.Inconclusive, "no Create answered 201 with an upload_url (see CRE-01)");
            return urls.Result();
        });

    /// <summary>Scheme findings over URLs: plain http/ws is tolerated only on a loopback host (the reference server, a local test).</summary>
    private sealed class SecureUrls
    {
        private readonly Violations _v = new();
        private readonly List<string> _loopback = [];
        private readonly List<string> _relative = [];

        public void Examine(Exchange x, string field, string? value, string scheme)
        {
            var plain = scheme == "wss" ? "ws" : "http";
            var absolute = Rules.IsWebUrl(value, out var uri);
            var onLoopback = absolute && uri!.Scheme == plain && DiscoveryRules.IsLoopback(uri.Host);
            if (onLoopback) _loopback.Add(uri!.Host);
            // A relative or unreadable URL has no scheme to judge: that it is absolute is DISC-13's and CRE-06's.
            if (!absolute) { _relative.Add(field); return; }
            _v.When(uri!.Scheme != scheme && !onLoopback, x,
                () => $"Expected: {field} as an absolute {scheme} URL ({plain} only on a loopback host)\nReceived: \"{value}\"");
        }

        /// <summary>Every distinct upload_url of a 201 Create; stream ones only when `stream`. Returns how many were examined.</summary>
        public int ExamineUploadUrls(Observations o, bool stream)
        {
            var examined = 0;
            // A Create that got another Create's session id answered about that session (CRE-09's finding), not its own upload_type.
            foreach (var x in o.All.SelectMany(r => r.Exchanges).Where(x => Rules.IsAcceptedCreate(x) && x.RepeatsSessionIdOf is null && x.Has("upload_url"))
                         .DistinctBy(x => x.Text("upload_url")))
            {
                var isStream = UploadType(x) == "stream";
                if (isStream && !stream) continue;
                Examine(x, "upload_url", x.Text("upload_url"), isStream ? "wss" : "https");
                examined++;
            }
            return examined;
        }

        public CheckResult Result() => _v.Result(string.Join(" ", new[]
        {
            _loopback.Count == 0 ? "No URL uses a plain scheme." : $"Plain http/ws was accepted only because the host is loopback ({string.Join(", ", _loopback.Distinct())}); anywhere else it must be https/wss.",
            _relative.Count == 0 ? "" : $"Not judged, as not absolute URLs: {string.Join(", ", _relative.Distinct())} (see DISC-13, CRE-06).",
        }).Trim());
    }

    public static readonly Check SessionEndpointsBelowBaseUrl = new(
        "discovery.session-endpoints-at-base-url", "The session endpoints live at base_url: POST {base_url}/sessions, GET {base_url}/sessions/{id}, POST {base_url}/sessions/{id}/end",
        new("DISC-14"), Scenario.Completed, o =>
        {
            if (o.Options.BaseUrl.Length > 0) throw new NotReached(Verdict.NotApplicable, "--base-url replaces endpoints.base_url, so the session URLs were not built from it");
            var run = o.Run;
            var steps = new[] { run.Create, run.BeforeEnd.FirstOrDefault(), run.End }.OfType<Exchange>().Where(x => x.GotResponse).ToList();
            if (steps.Count == 0) throw run.Unreached("no Create, GET or End was answered");
            var v = new Violations();
            // 404 and 405 say no such route: the path built from base_url is not the endpoint.
            foreach (var x in steps)
                v.When(x.Status is 404 or 405 && !(x.Step != "create" && x.ErrorCode() == "session_not_found"), x,
                    () => $"Expected: {x.Method} {x.Url} (built from endpoints.base_url) to reach the session endpoint\nReceived: HTTP {x.Status}: {x.Excerpt(150)}");
            if (v.Count == 0 && (run.Create?.Status != 201 || run.End?.Status != 202)) throw run.Unreached("the Completed run did not get 201 from Create and 202 from End");
            return v.Result($"Create, GET and End built from endpoints.base_url answered {string.Join(", ", steps.Select(x => x.Status))} ({run.Create!.Url}).");
        });

    public static IReadOnlyList<Check> All => [JsonObjectAnswer, ServiceName, ServiceNameDraft, LiteAndPro, OidcBlock, EveryUrlSecure, UploadUrlScheme, SessionEndpointsBelowBaseUrl];

    /// <summary>upload_type of the Create body an exchange sent; null when it is not a JSON object.</summary>
    private static string? UploadType(Exchange x)
    {
        try { return Rules.TextOf((JsonNode.Parse(x.RequestBody ?? "") as JsonObject)?["upload_type"]); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    /// <remarks>CF-46: spec 4.4 makes service.* optional, so service.name is a warning in msa-draft and strict in ekascribe.</remarks>
    private static Check ServiceNameCheck(ProtocolProfile profile, Requirement requirement) => new(
        profile == ProtocolProfile.Ekascribe ? "discovery.service-name" : "discovery.service-name-draft", "service.name is a non-empty string",
        requirement, Scenario.Discovery, o =>
        {
            var (x, doc) = DiscoveryFields.Document(o);
            var name = Rules.TextOf(doc["service"]?["name"]);
            return new Violations().When(string.IsNullOrWhiteSpace(name), x,
                () => $"Expected: service.name as a non-empty string\nReceived: service = {Rules.Show(doc["service"])}").Result();
        });
}
