using System.Runtime.CompilerServices;
using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Sessions;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// Faults of Create Session: how a lax or strict validator rewrites the request body, and what the 201 answer carries.
/// </summary>
internal sealed partial class FaultInjector
{
    /// <summary>The Create body as a server that ignores a non-object additional_data reads it.</summary>
    private string NonObjectAdditionalDataRewrite(string text)
    {
        if (!On(Fault.CreateAcceptsNonObjectAdditionalData) || Parse(text) is not { } body
            || !body.ContainsKey("additional_data") || body["additional_data"] is JsonObject or null) return text;
        body.Remove("additional_data");
        return body.ToJsonString();
    }

    private StrongBox<(string? Id, string? UploadUrl)>? firstCreated;

    /// <summary>
    /// Each Create-validation fault and how it rewrites the body: a lax server's repair (so the conforming
    /// validator accepts it) or a strict server's spoiling (the field made invalid, so the validator refuses it).
    /// </summary>
    private static readonly IReadOnlyDictionary<Fault, Action<JsonObject>> ValidationRewrites = new Dictionary<Fault, Action<JsonObject>>
    {
        [Fault.CreateAcceptsMissingCommunicationProtocol] = b => { if (!b.ContainsKey("communication_protocol")) b["communication_protocol"] = "http"; },
        [Fault.CreateAcceptsUnknownCommunicationProtocol] = b =>
        {
            if (b.ContainsKey("communication_protocol") && Text(b["communication_protocol"]) is not ("http" or "websocket" or "rpc")) b["communication_protocol"] = "http";
        },
        [Fault.CreateAcceptsUnknownSessionMode] = b => { if (Text(b["session_mode"]) is { } m && m is not ("consultation" or "dictation")) b.Remove("session_mode"); },
        [Fault.CreateRequiresTemplates] = b => { if (!b.ContainsKey("templates")) b["templates"] = 0; },
        [Fault.CreateRequiresLanguageHint] = b => { if (!b.ContainsKey("language_hint")) b["language_hint"] = 0; },
        [Fault.CreateRefusesSeveralLanguageHints] = b => { if (b["language_hint"] is JsonArray { Count: > 1 }) b["language_hint"] = 0; },
        [Fault.CreateRefusesAutoDetect] = b => { if (b["language_hint"] is JsonArray hints && hints.Any(h => Text(h) == "auto_detect")) b["language_hint"] = 0; },
        [Fault.CreateRefusesTranscriptLanguageString] = b => { if (Text(b["transcript_language"]) is not null) b["transcript_language"] = 0; },
        [Fault.CreateRefusesSessionMode] = b => { if (b.ContainsKey("session_mode")) b["session_mode"] = 0; },
    };

    /// <summary>The Create body as a server with these validation faults reads it.</summary>
    private string ValidationRewrite(string text)
    {
        if (!ValidationRewrites.Keys.Any(On) || Parse(text) is not { } body) return text;
        foreach (var (fault, rewrite) in ValidationRewrites)
            if (On(fault)) rewrite(body);
        return body.ToJsonString();
    }

    /// <summary>The 201 body under its faults.</summary>
    private void CreatedBodyFaults(JsonObject body)
    {
        if (On(Fault.CreatedSessionIdRepeated))
        {
            // The id and the upload_url that goes with it, so the repeat is one defect (CRE-09), not also a wrong upload_url (CRE-08).
            var own = ((string?)body["session_id"], (string?)body["upload_url"]);
            var first = Interlocked.CompareExchange(ref firstCreated, new(own), null)?.Value;
            if (first is var (id, uploadUrl))
            {
                body["session_id"] = id;
                if (uploadUrl is not null) body["upload_url"] = uploadUrl;
            }
        }
        if (On(Fault.CreatedWithoutPatientDetails)) body.Remove("patient_details");
        if (On(Fault.CreatedUploadUrlPlainHttp) && Uri.TryCreate((string?)body["upload_url"], UriKind.Absolute, out var upload))
            body["upload_url"] = $"http://uploads.msa-conformance.invalid{upload.PathAndQuery}";
    }

    /// <summary>The Create body as a server with the faults of this part reads it.</summary>
    private string SessionIdAndTemplatesRewrite(string text)
    {
        if (!(On(Fault.SessionIdWithoutPrefix) || On(Fault.CreateAcceptsMissingTemplates)) || Parse(text) is not { } body) return text;
        if (On(Fault.SessionIdWithoutPrefix) && !body.ContainsKey("session_id"))
            body["session_id"] = "sess-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(20, lowercase: true);
        if (On(Fault.CreateAcceptsMissingTemplates) && !body.ContainsKey("templates")) body["templates"] = new JsonArray();
        return body.ToJsonString();
    }

    /// <summary>The 201 answer under its faults: a cookie set, or a crash for an unknown template id.</summary>
    private JsonReply CreatedAnswerFaults(JsonReply reply, JsonObject body)
    {
        if (On(Fault.UnknownTemplateCreateAs500) && store.Find(body["session_id"]!.GetValue<string>()) is { } session
            && session.RequestedTemplates.Any(t => !CannedResults.IsKnown(t)))
            return ApiError.Reply(500, "internal_error", "The reference server failed: KeyNotFoundException.");
        if (On(Fault.CreateSetsCookieWithoutHttpOnly))
            reply.WithHeader("Set-Cookie", $"msa_session={body["session_id"]}; Path=/; Secure; SameSite=Lax");
        return reply;
    }
}
