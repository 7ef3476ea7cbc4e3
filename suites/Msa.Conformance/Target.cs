using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using RestSharp;

namespace Msa.Conformance;

/// <summary>The server under test, as found by discovery: where its API lives and a client to talk to it.</summary>
public sealed class Target : IDisposable
{
    public required HarnessOptions Options { get; init; }
    public required MsaClient Client { get; init; }
    /// <summary>The answer whose document the run uses (200, JSON object).</summary>
    public required Exchange DiscoveryExchange { get; init; }
    /// <summary>Every discovery request made to find it, in order (the used one included).</summary>
    public required IReadOnlyList<Exchange> DiscoveryAttempts { get; init; }
    public required JsonObject Discovery { get; init; }
    /// <summary>Where the document was found.</summary>
    public required string DiscoveryUrl { get; init; }
    /// <summary>The API base: --base-url, else discovery's endpoints.base_url (resolved against the discovery URL).</summary>
    public required string BaseUrl { get; init; }
    /// <summary>What the harness had to work around to find the API (a fallback location, a credential it had to send).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Every session_id an accepted Create of this run handed out (scenarios and probes alike), with the step that got it first.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> SessionIdsHandedOut { get; } = new();

    /// <summary>
    /// Records that `claimant` got session id `id` from a Create. Returns null when the id is new, else the step that
    /// got it before: a repeated id is CRE-09's finding, and whoever got it second has no session of its own.
    /// </summary>
    public string? ClaimSessionId(string id, string claimant)
    {
        if (SessionIdsHandedOut.TryAdd(id, claimant)) return null;
        RepeatedSessionIds.TryAdd(id, 0);
        return SessionIdsHandedOut[id];
    }

    /// <summary>True once a second Create of the run got this id.</summary>
    public bool SessionIdRepeated(string id) => RepeatedSessionIds.ContainsKey(id);
    private System.Collections.Concurrent.ConcurrentDictionary<string, byte> RepeatedSessionIds { get; } = new(StringComparer.Ordinal);

    public string SessionsUrl => $"{BaseUrl}/sessions";
    public string SessionUrl(string id) => $"{BaseUrl}/sessions/{Uri.EscapeDataString(id)}";

    /// <summary>The templates catalogue: endpoints.templates_url when discovery advertises a usable one, else {base_url}/templates (CF-49).</summary>
    public string TemplatesUrl =>
        Discovery["endpoints"]?["templates_url"] is JsonValue v && v.TryGetValue<string>(out var advertised) && advertised.Length > 0
        && Uri.TryCreate(new Uri(DiscoveryUrl), advertised, out var resolved) && resolved.Scheme is "http" or "https"
            ? resolved.ToString() : $"{BaseUrl}/templates";

    public const string WellKnownPath = "/.well-known/medscribealliance";

    /// <summary>Discovery below a service root or API base: {root}/.well-known/medscribealliance (EkaScribe, DISC-02).</summary>
    public static string DiscoveryUrlUnder(string serviceRoot) => serviceRoot.TrimEnd('/') + WellKnownPath;

    /// <summary>Discovery at the root of the URL's host (community draft, DISC-03).</summary>
    public static string HostRootDiscoveryUrl(string url) => new Uri(url).GetLeftPart(UriPartial.Authority) + WellKnownPath;

    /// <summary>Where to look, the profile's own location first: ekascribe below --target, msa-draft at the host root.</summary>
    public static IReadOnlyList<string> DiscoveryCandidates(HarnessOptions options)
    {
        string[] ordered = options.ProtocolProfile == ProtocolProfile.MsaDraft
            ? [HostRootDiscoveryUrl(options.Target), DiscoveryUrlUnder(options.Target)]
            : [DiscoveryUrlUnder(options.Target), HostRootDiscoveryUrl(options.Target)];
        return ordered.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Fetches discovery and finds the API base. Throws TargetUnusable with one actionable sentence when the target
    /// cannot be tested at all (unreachable, not a MedScribeAlliance server): that is exit code 2, not a failure.
    /// Defects the harness can work around (discovery in the other profile's location, discovery behind the
    /// credential, a wrong protocol value, a relative base_url) are noted and left to the discovery checks.
    /// </summary>
    public static async Task<Target> ConnectAsync(HarnessOptions options, CancellationToken ct = default)
    {
        if (options.Target.Length == 0) throw new TargetUnusable("No target: set --target URL (or MSA_Target).");
        var client = new MsaClient(options);
        try
        {
            var attempts = new List<Exchange>();
            var notes = new List<string>();
            var candidates = DiscoveryCandidates(options);
            foreach (var url in candidates)
            {
                var x = await client.SendAsync("discovery", Method.Get, url, auth: false, ct: ct);
                attempts.Add(x);
                if (x.TransportError is not null)
                    throw new TargetUnusable($"Cannot reach {url}: {x.TransportError}. Is the server running and the URL right?");
                if (x.Status is 401 or 403)
                {
                    x = await client.SendAsync("discovery with credential", Method.Get, url, ct: ct);
                    attempts.Add(x);
                    notes.Add($"{url} refused a request without a credential; it answered {x.Status} with one (DISC-04 reports this).");
                }
                if (x.Status != 200 || x.JsonObject is null) continue;
                if (url != candidates[0])
                    notes.Add($"No discovery document at {candidates[0]} ({attempts[0].Status}), the {HarnessOptions.ProfileName(options.ProtocolProfile)} "
                        + $"location; using {url} instead.");
                var doc = x.JsonObject;
                var baseUrl = BaseUrlOf(options, doc, url)
                    ?? throw new TargetUnusable(IsMsaProtocol(doc)
                        ? $"Discovery at {url} gives no usable endpoints.base_url; pass --base-url to test the API anyway."
                        : $"{url} is JSON but not a MedScribeAlliance discovery document (protocol is not \"medscribealliance\").");
                return new Target
                {
                    Options = options, Client = client, DiscoveryExchange = x, DiscoveryAttempts = attempts, Discovery = doc,
                    DiscoveryUrl = url, BaseUrl = baseUrl.TrimEnd('/'), Notes = notes,
                };
            }
            var first = attempts[0];
            throw new TargetUnusable($"{candidates[0]} answered {first.Status} {(first.JsonError ?? "")} — not a MedScribeAlliance discovery document. "
                + $"--target must be the service root (discovery lives at <root>{WellKnownPath}{(candidates.Count > 1 ? $"; {candidates[1]} did not serve it either" : "")}). "
                + $"Body: {first.Excerpt(200)}");
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static bool IsMsaProtocol(JsonObject doc) =>
        doc["protocol"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() == "medscribealliance";

    /// <summary>--base-url, else endpoints.base_url resolved against the discovery URL; null when there is none.</summary>
    private static string? BaseUrlOf(HarnessOptions options, JsonObject doc, string discoveryUrl)
    {
        if (options.BaseUrl.Length > 0) return options.BaseUrl;
        var declared = doc["endpoints"]?["base_url"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
        if (string.IsNullOrEmpty(declared) || !Uri.TryCreate(new Uri(discoveryUrl), declared, out var resolved)) return null;
        return resolved.Scheme is "http" or "https" ? resolved.ToString() : null;
    }

    public void Dispose() => Client.Dispose();
}

/// <summary>The target cannot be tested at all; the message says what to do. Exit code 2.</summary>
public sealed class TargetUnusable(string message) : Exception(message);
