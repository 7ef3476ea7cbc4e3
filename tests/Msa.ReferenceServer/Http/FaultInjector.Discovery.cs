using System.Text.Json.Nodes;
using Msa.ReferenceServer.Endpoints;

namespace Msa.ReferenceServer.Http;

/// <summary>The discovery faults: where the document is served, how, and what it says.</summary>
internal sealed partial class FaultInjector
{
    /// <summary>Each fault that changes the document, and the change (on a copy).</summary>
    private static readonly IReadOnlyDictionary<Fault, Action<JsonObject>> DocumentFaults = new Dictionary<Fault, Action<JsonObject>>
    {
        [Fault.DiscoveryProtocolMisspelt] = d => d["protocol"] = "medscribe-alliance",
        [Fault.DiscoveryVersionNotMajorMinor] = d => d["protocol_version"] = "0.1.0",
        [Fault.DiscoveryVersionNotSupported] = d => d["protocol_version"] = "0.2",
        [Fault.DiscoveryWithoutVersion01] = d => (d["protocol_version"], d["supported_versions"]) = ("1.0", new JsonArray("1.0")),
        [Fault.DiscoveryBaseUrlRelative] = d => d["endpoints"]!["base_url"] = new Uri(d["endpoints"]!["base_url"]!.GetValue<string>()).AbsolutePath,
        [Fault.DiscoveryWebhooksWithoutUrl] = d => { d["capabilities"]!["webhook_delivery"] = true; d["endpoints"]!.AsObject().Remove("webhooks_url"); },
        [Fault.DiscoveryUnknownAuthMethod] = d => d["authentication"]!["supported_methods"]!.AsArray().Add("basic"),
        [Fault.DiscoveryAudioFormatNotMime] = d => d["capabilities"]!["audio_formats"]!.AsArray().Add("wav"),
        [Fault.DiscoveryChunkDurationZero] = d => d["capabilities"]!["max_chunk_duration_seconds"] = 0,
        [Fault.DiscoveryStreamOnlyUpload] = d => d["capabilities"]!["upload_methods"] = new JsonArray("stream"),
        [Fault.DiscoveryDeliveryFlagAsString] = d => d["capabilities"]!["webhook_delivery"] = "false",
        [Fault.DiscoveryModelWithoutDuration] = d => { foreach (var m in d["models"]!.AsArray()) m!.AsObject().Remove("max_session_duration_seconds"); },
        [Fault.DiscoveryRepeatedModelId] = d => d["models"]![1]!["id"] = d["models"]![0]!["id"]!.GetValue<string>(),
        [Fault.DiscoveryLanguageNotIso] = d => d["languages"]!["supported"]!.AsArray().Add("eng"),
        [Fault.DiscoveryModelLanguageUnsupported] = d => d["models"]![0]!["languages"]!.AsArray().Add("fr"),
        [Fault.SingleUploadAdvertisedButRefused] = d => d["capabilities"]!["upload_methods"]!.AsArray().Add("single"),
    };

    /// <summary>The discovery answer with the switched-on faults applied.</summary>
    public IResult Discovery(DiscoveryReply reply)
    {
        if (DiscoveryDocumentFaults(reply) is { } coverage) return coverage;
        var served = reply.Reply.StatusCode == 200;
        if (On(Fault.DiscoveryOnlyAtHostRoot)) served = reply.Location == DiscoveryLocation.HostRoot;
        if (On(Fault.DiscoveryNotAtHostRoot) && reply.Location == DiscoveryLocation.HostRoot) served = false;
        if (served == (reply.Reply.StatusCode == 200) && !DocumentFaults.Keys.Append(Fault.DiscoveryRequiresCredential)
                .Append(Fault.DiscoveryTextPlain).Append(Fault.DiscoveryNotCacheable).Any(On))
            return reply.Reply;
        if (!served) return ApiError.Reply(404, "not_found", "No discovery document here.");
        if (On(Fault.DiscoveryRequiresCredential) && !reply.Credential.Valid)
            return ApiError.Unauthorized(reply.Credential.Missing, settings.MsaDraft);

        var document = reply.Document.DeepClone().AsObject();
        foreach (var (fault, change) in DocumentFaults)
            if (On(fault)) change(document);
        var answer = DiscoveryEndpoints.Served(document);
        if (On(Fault.DiscoveryNotCacheable)) answer.Headers["Cache-Control"] = "no-store";
        if (On(Fault.DiscoveryTextPlain)) answer.ContentType = "text/plain; charset=utf-8";
        return answer;
    }
}
