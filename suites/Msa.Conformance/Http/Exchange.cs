using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Msa.Conformance.Http;

/// <summary>One request and what came back, as evidence: credentials already redacted, bodies capped.</summary>
public sealed class Exchange
{
    public required string Step { get; init; }
    public required string Method { get; init; }
    public required string Url { get; init; }
    /// <summary>The request headers as sent (MsaClient replaces the planned list with the wire's, credentials redacted).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; set; }
    public string? RequestBody { get; init; }

    /// <summary>The body is another session of the run (a crossed answer): only the rows about that (GET-PAIR-17, ISO-12) read it.</summary>
    public bool AnswersAnotherSession { get; set; }

    /// <summary>
    /// An accepted Create that handed out a session_id an earlier Create of the run already got (CRE-09 judges that):
    /// the step that got it first. What the harness reads of "this session" afterwards would be the other one's.
    /// </summary>
    public string? RepeatsSessionIdOf { get; set; }

    /// <summary>The request carried the run's own credential (not none, not a deliberately wrong one).</summary>
    public bool SentCredential { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public TimeSpan Elapsed { get; set; }
    /// <summary>HTTP status, or 0 when no response came (see TransportError).</summary>
    public int Status { get; set; }
    public List<KeyValuePair<string, string>> ResponseHeaders { get; } = [];
    /// <summary>The response Content-Type header as sent, or null when absent.</summary>
    public string? ContentType { get; set; }
    public string Body { get; set; } = "";
    public bool BodyTruncated { get; set; }
    /// <summary>Timeout, refused connection, reset: the server gave no usable answer. Never a conformance verdict.</summary>
    public string? TransportError { get; set; }

    /// <summary>What the harness did besides sending once (a resend after a stale connection), shown with the evidence.</summary>
    public string? Note { get; set; }

    public bool GotResponse => TransportError is null && Status > 0;

    /// <summary>Answered 2xx: the request was accepted. Which 2xx is the business of the row that names one.</summary>
    public bool Accepted => GotResponse && Status is >= 200 and < 300;

    public string? Header(string name) =>
        ResponseHeaders.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>True when the Content-Type is application/json (parameters such as charset allowed).</summary>
    public bool IsJsonContentType =>
        ContentType is not null && ContentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parsed once, by whichever check asks first, while other checks may read the same exchange on other threads:
    /// the Lazy publishes only a finished parse, and the tree is walked inside it because JsonNode fills its
    /// collections on first access, which is not safe to race.
    /// </summary>
    private readonly Lazy<(JsonNode? Json, string? Error)> _parsed;

    public Exchange() => _parsed = new(Parse, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The body as JSON, or null with JsonError saying why (not JSON, HTML page, truncated, empty).</summary>
    public JsonNode? Json => _parsed.Value.Json;
    public string? JsonError => _parsed.Value.Error;
    public JsonObject? JsonObject => Json as JsonObject;

    /// <summary>The body's top-level "status" string, or null.</summary>
    public string? BodyStatus => JsonObject?["status"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private (JsonNode?, string?) Parse()
    {
        if (Body.Length == 0) return (null, "the body is empty");
        try
        {
            return (JsonTree.Filled(JsonNode.Parse(Body, documentOptions: new JsonDocumentOptions { MaxDepth = 256 })), null);
        }
        catch (JsonException e)
        {
            var looksHtml = Body.TrimStart().StartsWith('<');
            return (null, (looksHtml ? "the body is HTML/XML, not JSON" : "the body is not valid JSON")
                + (BodyTruncated ? " (it was truncated at the size cap)" : "") + $": {e.Message}");
        }
    }

    /// <summary>First characters of the body, for failure messages.</summary>
    public string Excerpt(int max = 300)
    {
        var text = Body.Length <= max ? Body : Body[..max] + $"… ({Body.Length} chars)";
        return text.Length == 0 ? "(empty body)" : text.ReplaceLineEndings(" ");
    }

    /// <summary>"GET /sessions/x → 202 processing", the line used in timelines and messages.</summary>
    public string Summary()
    {
        var answer = TransportError is not null ? $"no answer ({TransportError})"
            : $"{Status}{(BodyStatus is { } s ? " " + s : "")}";
        return $"{Method} {Url} → {answer}";
    }

    /// <summary>The request as a reader of the report sees it (credential redacted).</summary>
    public string RequestText()
    {
        var sb = new StringBuilder($"{Method} {Url}\n");
        foreach (var (k, v) in RequestHeaders) sb.Append(k).Append(": ").Append(v).Append('\n');
        if (RequestBody is not null) sb.Append('\n').Append(RequestBody);
        return sb.ToString();
    }

    /// <summary>The response as a reader of the report sees it, with patient data masked unless asked otherwise.</summary>
    public string ResponseText(bool fullEvidence)
    {
        if (TransportError is not null) return $"(no response: {TransportError}, after {Elapsed.TotalMilliseconds:0} ms)";
        // A TLS handshake or a WebSocket's life: what happened, not an HTTP answer.
        if (Method is Scenarios.TlsProbe.TlsMethod or Scenarios.StreamClient.Method) return Body;
        var sb = new StringBuilder($"HTTP {Status} ({Elapsed.TotalMilliseconds:0} ms){(Note is null ? "" : $" — note: {Note}")}\n");
        foreach (var (k, v) in ResponseHeaders) sb.Append(k).Append(": ").Append(Redactor.HeaderValue(k, v)).Append('\n');
        sb.Append('\n');
        sb.Append(fullEvidence || Json is null ? Body : Redactor.MaskPatientData(Json).ToJsonString(Redactor.Indented));
        if (BodyTruncated) sb.Append("\n… (truncated at the size cap)");
        return sb.ToString();
    }
}

/// <summary>
/// JsonNode fills each object's and array's children on first access, which is not safe when several checks read a
/// freshly parsed body at once; a tree walked once before it is shared is only ever read.
/// </summary>
public static class JsonTree
{
    public static T? Filled<T>(T? node) where T : JsonNode
    {
        switch (node)
        {
            case JsonObject o: foreach (var (_, value) in o) Filled(value); break;
            case JsonArray a: foreach (var item in a) Filled(item); break;
        }
        return node;
    }
}
