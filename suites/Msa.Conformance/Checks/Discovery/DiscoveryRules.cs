using System.Net;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Discovery;

/// <summary>Where discovery is served and how (public, JSON, cacheable), and the rules that tie its fields together.</summary>
public static class DiscoveryRules
{
    public static readonly Check BelowBaseUrl = new(
        "discovery.below-base-url", "Discovery is served below the API base, at {base_url}/.well-known/medscribealliance",
        new("DISC-02"), Scenario.Discovery, o => Served(o, ProbeNames.DiscoveryBelowBaseUrl))
   ;

    public static readonly Check AtHostRoot = new(
        "discovery.at-host-root", "Discovery is served at the host root, /.well-known/medscribealliance",
        new("DISC-03"), Scenario.Discovery, o => Served(o, ProbeNames.DiscoveryAtHostRoot))
   ;

    public static readonly Check Public = new(
        "discovery.public", "Discovery answers a request without any credential with 200",
        new("DISC-04"), Scenario.Discovery, o =>
        {
            var x = Answered(o, ProbeNames.DiscoveryWithoutCredential);
            return new Violations().When(x.Status != 200, x,
                () => $"Expected: 200 with no Authorization or X-API-Key header (discovery is public)\nReceived: HTTP {x.Status}").Result();
        });

    public static readonly Check JsonContentType = new(
        "discovery.json-content-type", "The discovery answer is sent as application/json",
        new("DISC-05"), Scenario.Discovery, o =>
        {
            var (x, _) = DiscoveryFields.Document(o);
            return new Violations().When(!x.IsJsonContentType, x, () => $"Expected: Content-Type application/json\nReceived: {x.ContentType ?? "(no Content-Type)"}").Result();
        });

    public static readonly Check Cacheable = new(
        "discovery.cacheable", "The discovery answer is cacheable: Cache-Control with a positive max-age",
        new("DISC-06"), Scenario.Discovery, o =>
        {
            var (x, _) = DiscoveryFields.Document(o);
            var header = x.Header("Cache-Control");
            return new Violations().When(MaxAge(header) is not > 0, x,
                () => $"Expected: Cache-Control: max-age=N with N > 0 (EkaScribe sends max-age=10800)\nReceived: {header ?? "(no Cache-Control header)"}").Result();
        });

    public static readonly Check BaseUrlIsHttps = new(
        "discovery.base-url-https", "endpoints.base_url is an absolute https URL",
        new("DISC-13"), Scenario.Discovery, o =>
        {
            var (x, doc) = DiscoveryFields.Document(o);
            return SecureUrl(x, "endpoints.base_url", Rules.TextOf(doc["endpoints"]?["base_url"]));
        });

    public static readonly Check WebhooksUrlWhenDelivering = new(
        "discovery.webhooks-url", "When webhook_delivery is true, endpoints.webhooks_url is an absolute https URL",
        new("DISC-15"), Scenario.Discovery, o =>
        {
            o.Capabilities.Require(Feature.WebhookDelivery);
            var (x, doc) = DiscoveryFields.Document(o);
            return SecureUrl(x, "endpoints.webhooks_url", Rules.TextOf(doc["endpoints"]?["webhooks_url"]));
        });

    public static readonly Check UniqueModelIds = new(
        "discovery.unique-model-ids", "Model ids are unique within models",
        new("DISC-27"), Scenario.Discovery, o =>
        {
            var (x, _) = DiscoveryFields.Document(o);
            var repeated = o.Capabilities.Declared(Feature.Model).GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            return new Violations().When(repeated.Count > 0, x, () => $"Expected: each models[].id once\nReceived: repeated: {string.Join(", ", repeated)}").Result();
        });

    public static readonly Check ModelLanguagesSupported = new(
        "discovery.model-languages-supported", "Every language listed for a model is also in languages.supported",
        new("DISC-33"), Scenario.Discovery, o =>
        {
            var (x, doc) = DiscoveryFields.Document(o);
            var supported = o.Capabilities.Declared(Feature.Language).ToHashSet();
            var v = new Violations();
            foreach (var model in (doc["models"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var extra = (model["languages"] as JsonArray ?? []).Select(Rules.TextOf).Where(l => l is not null && !supported.Contains(l)).ToList();
                v.When(extra.Count > 0, x, () => $"Expected: model '{Rules.TextOf(model["id"])}' to list only languages from languages.supported "
                    + $"[{string.Join(", ", supported)}]\nReceived: also {string.Join(", ", extra)}");
            }
            return v.Result();
        });

    public static IReadOnlyList<Check> All =>
        [BelowBaseUrl, AtHostRoot, Public, JsonContentType, Cacheable, BaseUrlIsHttps, WebhooksUrlWhenDelivering, UniqueModelIds, ModelLanguagesSupported];

    /// <summary>The probe's answer; a probe that got no answer is inconclusive, never a failure.</summary>
    private static Exchange Answered(Observations o, string probe)
    {
        var x = o.Run.Need(o.Run.Probes.GetValueOrDefault(probe), $"no {probe} request was made");
        return x.GotResponse ? x : throw new NotReached(Verdict.Inconclusive, $"{probe}: no answer ({x.TransportError})");
    }

    /// <summary>200 with a JSON answer at the probed location; the document's shape and values are DISC-01's and the field rows'.</summary>
    private static CheckResult Served(Observations o, string probe)
    {
        var x = Answered(o, probe);
        var served = x.Status == 200 && x.Json is not null;
        return new Violations().When(!served, x, () => $"Expected: 200 with the discovery document at {x.Url}\n"
            + $"Received: HTTP {x.Status}{(x.Status == 200 ? $", body {x.Excerpt(150)}" : "")}").Result($"The discovery document is served at {x.Url}.");
    }

    /// <summary>
    /// An absolute https URL. http is accepted only for a loopback host (127.0.0.0/8, ::1, localhost), where a local
    /// test server runs without a certificate, and the pass message says so.
    /// </summary>
    public static CheckResult SecureUrl(Exchange x, string field, string? value)
    {
        var absolute = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        var loopbackHttp = absolute && uri!.Scheme == "http" && IsLoopback(uri.Host);
        var v = new Violations().When(!absolute || (uri!.Scheme != "https" && !loopbackHttp), x,
            () => $"Expected: {field} as an absolute https URL (http only on a loopback host)\nReceived: {(value is null ? "(absent or not a string)" : $"\"{value}\"")}");
        return v.Result(loopbackHttp
            ? $"{field} {value} is absolute; http is accepted only because the host is loopback ({uri!.Host}); anywhere else it must be https."
            : $"{field} {value} is an absolute https URL.");
    }

    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The max-age of a Cache-Control value in seconds; null when absent or unreadable.</summary>
    public static int? MaxAge(string? cacheControl) =>
        cacheControl?.Split(',').Select(d => d.Trim()).Where(d => d.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase))
            .Select(d => int.TryParse(d["max-age=".Length..].Trim('"'), out var n) ? n : (int?)null).FirstOrDefault();
}
