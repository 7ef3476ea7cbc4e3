using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using RestSharp;

namespace Msa.Conformance;

/// <summary>The server under test, as found by discovery: where its API lives and a client to talk to it.</summary>
public sealed class Target : IDisposable
{
    public required HarnessOptions Options { get; init; }
    public required MsaClient Client { get; init; }
    public required Exchange DiscoveryExchange { get; init; }
    public required JsonObject Discovery { get; init; }
    /// <summary>The API base: --base-url, else discovery's endpoints.base_url.</summary>
    public required string BaseUrl { get; init; }

    public string SessionsUrl => $"{BaseUrl}/sessions";
    public string SessionUrl(string id) => $"{BaseUrl}/sessions/{Uri.EscapeDataString(id)}";

    public static string DiscoveryUrl(string serviceRoot) => serviceRoot.TrimEnd('/') + "/.well-known/medscribealliance";

    /// <summary>
    /// Fetches discovery and finds the API base. Throws TargetUnusable with one actionable sentence when the target
    /// cannot be tested at all (unreachable, not a MedScribeAlliance server): that is exit code 2, not a failure.
    /// </summary>
    public static async Task<Target> ConnectAsync(HarnessOptions options, CancellationToken ct = default)
    {
        if (options.Target.Length == 0) throw new TargetUnusable("No target: set --target URL (or MSA_Target).");
        var client = new MsaClient(options);
        try
        {
            var url = DiscoveryUrl(options.Target);
            var x = await client.SendAsync("discovery", Method.Get, url, auth: false, ct: ct);
            if (x.TransportError is not null)
                throw new TargetUnusable($"Cannot reach {url}: {x.TransportError}. Is the server running and the URL right?");
            if (x.Status != 200 || x.JsonObject is null)
                throw new TargetUnusable($"{url} answered {x.Status} {(x.JsonError ?? "")} — not a MedScribeAlliance discovery document. "
                    + $"--target must be the service root (discovery lives at <root>/.well-known/medscribealliance). Body: {x.Excerpt(200)}");
            var doc = x.JsonObject;
            if (doc["protocol"]?.GetValueKind() != System.Text.Json.JsonValueKind.String || (string?)doc["protocol"] != "medscribealliance")
                throw new TargetUnusable($"{url} is JSON but not a MedScribeAlliance discovery document (protocol is not \"medscribealliance\").");
            var baseUrl = options.BaseUrl.Length > 0 ? options.BaseUrl : (string?)(doc["endpoints"]?["base_url"] as JsonValue);
            if (string.IsNullOrEmpty(baseUrl) || !Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
                throw new TargetUnusable($"Discovery at {url} gives no usable endpoints.base_url; pass --base-url to test the API anyway.");
            return new Target { Options = options, Client = client, DiscoveryExchange = x, Discovery = doc, BaseUrl = baseUrl.TrimEnd('/') };
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void Dispose() => Client.Dispose();
}

/// <summary>The target cannot be tested at all; the message says what to do. Exit code 2.</summary>
public sealed class TargetUnusable(string message) : Exception(message);
