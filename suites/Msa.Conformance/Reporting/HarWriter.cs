using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Reporting;

/// <summary>
/// evidence.har: every exchange of the run as an HTTP Archive 1.2 log, so a certifier can open the traffic in a
/// browser's developer tools or any HAR viewer. Redacted and masked exactly like the other reports (credentials never,
/// transcripts and template data shortened unless --full-evidence); webhook deliveries the harness received are
/// entries too, marked "_direction": "received". A request that got no answer has status 0 and "_error".
/// </summary>
public static class HarWriter
{
    public static string ToJson(IEnumerable<ScenarioRun> runs, bool fullEvidence, string harnessVersion)
    {
        var entries = new JsonArray();
        foreach (var (run, x) in runs.SelectMany(r => r.Exchanges.Where(x => x.Method is not (TlsProbe.TlsMethod or StreamClient.Method)).Select(x => (r, x))).OrderBy(p => p.x.StartedAt))
            entries.Add(Entry(run, x, fullEvidence));
        var har = new JsonObject
        {
            ["log"] = new JsonObject
            {
                ["version"] = "1.2",
                ["creator"] = new JsonObject { ["name"] = "msa-conformance", ["version"] = harnessVersion },
                ["pages"] = new JsonArray(),
                ["entries"] = entries,
            },
        };
        return Redactor.Scrub(har.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static JsonObject Entry(ScenarioRun run, Exchange x, bool fullEvidence)
    {
        var uri = Uri.TryCreate(x.Url, UriKind.Absolute, out var u) ? u : null;
        var request = new JsonObject
        {
            ["method"] = x.Method,
            ["url"] = x.Url,
            ["httpVersion"] = "HTTP/1.1",
            ["cookies"] = new JsonArray(),
            ["headers"] = Headers(x.RequestHeaders),
            ["queryString"] = QueryString(uri),
            ["headersSize"] = -1,
            ["bodySize"] = x.RequestBody?.Length ?? 0,
        };
        if (x.RequestBody is { } sent)
            request["postData"] = new JsonObject
            {
                ["mimeType"] = x.RequestHeaders.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value ?? "",
                ["text"] = Masked(sent, fullEvidence),
            };
        var body = x.GotResponse ? (fullEvidence || x.Json is null ? x.Body : Redactor.MaskPatientData(x.Json).ToJsonString()) : "";
        var entry = new JsonObject
        {
            ["startedDateTime"] = x.StartedAt.ToString("O"),
            ["time"] = Math.Round(x.Elapsed.TotalMilliseconds, 1),
            ["request"] = request,
            ["response"] = new JsonObject
            {
                ["status"] = x.GotResponse ? x.Status : 0,
                ["statusText"] = "",
                ["httpVersion"] = "HTTP/1.1",
                ["cookies"] = new JsonArray(),
                ["headers"] = Headers(x.ResponseHeaders.Select(h => new KeyValuePair<string, string>(h.Key, Redactor.HeaderValue(h.Key, h.Value)))),
                ["content"] = new JsonObject { ["size"] = x.Body.Length, ["mimeType"] = x.ContentType ?? "", ["text"] = body },
                ["redirectURL"] = "",
                ["headersSize"] = -1,
                ["bodySize"] = x.GotResponse ? x.Body.Length : -1,
            },
            ["cache"] = new JsonObject(),
            ["timings"] = new JsonObject { ["send"] = 0, ["wait"] = Math.Round(x.Elapsed.TotalMilliseconds, 1), ["receive"] = 0 },
            ["comment"] = x.Step,
            ["_scenario"] = run.Scenario.ToString(),
        };
        if (x.Step.StartsWith("webhook received", StringComparison.Ordinal)) entry["_direction"] = "received";
        if (x.TransportError is { } error) entry["_error"] = error;
        if (x.Note is { } note) entry["_note"] = note;
        if (x.BodyTruncated) entry["_truncated"] = true;
        // The opened stream, in Chrome's way: the 101 upgrade entry carries the frames both ways.
        if (x.Status == 101 && run.Stream is { Frames.Count: > 0 } stream)
        {
            entry["_resourceType"] = "websocket";
            entry["_webSocketMessages"] = new JsonArray([.. stream.Frames.Select(f => (JsonNode)new JsonObject
                { ["type"] = f.Type, ["time"] = f.Time, ["opcode"] = f.Opcode, ["data"] = f.Data })]);
        }
        return entry;
    }

    private static JsonArray Headers(IEnumerable<KeyValuePair<string, string>> headers) =>
        new(headers.Select(h => (JsonNode)new JsonObject { ["name"] = h.Key, ["value"] = h.Value }).ToArray());

    private static JsonArray QueryString(Uri? uri) =>
        new((uri?.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries) ?? [])
            .Select(p => p.Split('=', 2))
            .Select(p => (JsonNode)new JsonObject { ["name"] = Uri.UnescapeDataString(p[0]), ["value"] = p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "" })
            .ToArray());

    /// <summary>A JSON request body with patient data shortened (unless full evidence); any other text as it is.</summary>
    private static string Masked(string text, bool fullEvidence)
    {
        if (fullEvidence || !text.StartsWith('{')) return text;
        try { return JsonNode.Parse(text) is { } node ? Redactor.MaskPatientData(node).ToJsonString() : text; }
        catch (JsonException) { return text; }
    }
}
