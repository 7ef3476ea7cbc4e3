using System.ComponentModel;
using System.Reflection;

namespace Msa.ReferenceServer;

/// <summary>
/// One switch per defect the reference server can inject, each named for the property it breaks. The
/// <see cref="DescriptionAttribute"/> repeats the summary so <c>--list-faults</c> can print it. All mutation logic is in
/// <see cref="Http.FaultInjector"/>.
/// </summary>
public enum Fault
{
    /// <summary>202 answers carry status "queued" instead of processing/initialized.</summary>
    [Description("202 answers carry status \"queued\" instead of processing/initialized.")]
    UnknownStatusWhileProcessing,

    /// <summary>While processing (after End), Get Session answers HTTP 200 (body still processing).</summary>
    [Description("While processing (after End), Get Session answers HTTP 200 (body still processing).")]
    ProcessingAs200,

    /// <summary>A failed session is answered with HTTP 500 (body still the failed session body).</summary>
    [Description("A failed session is answered with HTTP 500 (body still the failed session body).")]
    FailedAs500,

    /// <summary>A partial session is answered with HTTP 200 instead of 206 (body still partial).</summary>
    [Description("A partial session is answered with HTTP 200 instead of 206 (body still partial).")]
    PartialAs200,

    /// <summary>An expired session is answered 404 with the session_not_found envelope.</summary>
    [Description("An expired session is answered 404 with the session_not_found envelope.")]
    ExpiredAs404,

    /// <summary>An unknown session id gets 404 with a text/html body instead of the error envelope.</summary>
    [Description("An unknown session id gets 404 with a text/html body instead of the error envelope.")]
    UnknownSessionWithoutEnvelope,

    /// <summary>Completed sessions carry status "complete".</summary>
    [Description("Completed sessions carry status \"complete\".")]
    CompletedStatusMisspelt,

    /// <summary>A session that was not ended answers HTTP 200 (status initialized).</summary>
    [Description("A session that was not ended answers HTTP 200 (status initialized).")]
    NotEndedAs200,

    /// <summary>Before End, the 202 status is processing instead of initialized.</summary>
    [Description("Before End, the 202 status is processing instead of initialized.")]
    ProcessingBeforeEnd,

    /// <summary>After a terminal answer was served once, the next GET answers 202 processing (then terminal again).</summary>
    [Description("After a terminal answer was served once, the next GET answers 202 processing (then terminal again).")]
    TerminalRevertsTo202,

    /// <summary>The first GET after End answers 404 session_not_found.</summary>
    [Description("The first GET after End answers 404 session_not_found.")]
    NotFoundRightAfterEnd,

    /// <summary>Every Get Session body has session_id in upper case.</summary>
    [Description("Every Get Session body has session_id in upper case.")]
    WrongSessionIdInBody,

    /// <summary>Get Session responses have Content-Type text/plain (same JSON text).</summary>
    [Description("Get Session responses have Content-Type text/plain (same JSON text).")]
    TextPlainContentType,

    /// <summary>202 bodies lack expires_at.</summary>
    [Description("202 bodies lack expires_at.")]
    MissingExpiresAtWhileProcessing,

    /// <summary>200 completed bodies lack transcript.</summary>
    [Description("200 completed bodies lack transcript.")]
    CompletedWithoutTranscript,

    /// <summary>200 failed bodies lack audio_files.</summary>
    [Description("200 failed bodies lack audio_files.")]
    FailedWithoutAudioFiles,

    /// <summary>206 bodies lack processing_errors.</summary>
    [Description("206 bodies lack processing_errors.")]
    PartialWithoutProcessingErrors,

    /// <summary>410 bodies lack expired_at.</summary>
    [Description("410 bodies lack expired_at.")]
    ExpiredWithoutExpiredAt,

    /// <summary>200 completed bodies lack upload_url (as Eka's open-source build does).</summary>
    [Description("200 completed bodies lack upload_url (as Eka's open-source build does).")]
    UploadUrlMissingWhenCompleted,

    /// <summary>created_at in Get Session bodies is written without a zone offset.</summary>
    [Description("created_at in Get Session bodies is written without a zone offset.")]
    TimestampsWithoutOffset,

    /// <summary>Completed/partial templates is an object keyed by template id (the community-draft shape).</summary>
    [Description("Completed/partial templates is an object keyed by template id (the community-draft shape).")]
    TemplatesAsMap,

    /// <summary>Each templates element gets a second key "meta": {} beside the template id.</summary>
    [Description("Each templates element gets a second key \"meta\": {} beside the template id.")]
    TemplateEntryWithTwoKeys,

    /// <summary>Template inner objects lack status.</summary>
    [Description("Template inner objects lack status.")]
    TemplateEntryWithoutStatus,

    /// <summary>?template_id= is ignored (all templates returned).</summary>
    [Description("?template_id= is ignored (all templates returned).")]
    TemplateFilterIgnored,

    /// <summary>With ?template_id=X only the first entry for X is returned.</summary>
    [Description("With ?template_id=X only the first entry for X is returned.")]
    TemplateFilterDropsRepeats,

    /// <summary>A GET of a session less than 2 s after its previous answered GET gets 429 with Retry-After: 1.</summary>
    [Description("A GET of a session less than 2 s after its previous answered GET gets 429 with Retry-After: 1.")]
    ThrottlesPolling,

    /// <summary>After End, every second 202 answer says initialized.</summary>
    [Description("After End, every second 202 answer says initialized.")]
    StatusRegressesToInitialized,

    /// <summary>created_at in Get Session bodies is the current time instead of the creation time.</summary>
    [Description("created_at in Get Session bodies is the current time instead of the creation time.")]
    CreatedAtDrifts,

    /// <summary>Get Session without credentials is answered normally (no 401).</summary>
    [Description("Get Session without credentials is answered normally (no 401).")]
    NoCredentialAccepted,

    /// <summary>401 answers have a text/plain body "Unauthorized" instead of the error envelope.</summary>
    [Description("401 answers have a text/plain body \"Unauthorized\" instead of the error envelope.")]
    UnauthorizedWithoutEnvelope,

    /// <summary>Get Session audio_files_received is one more than the length of audio_files.</summary>
    [Description("Get Session audio_files_received is one more than the length of audio_files.")]
    AudioCountMismatch,

    /// <summary>Before End, Get Session reports audio_files_received 0 and audio_files [].</summary>
    [Description("Before End, Get Session reports audio_files_received 0 and audio_files [].")]
    GetForgetsUploadsBeforeEnd,

    /// <summary>After End, Get Session lists audio_files in reverse order.</summary>
    [Description("After End, Get Session lists audio_files in reverse order.")]
    EndAndGetDisagreeOnFiles,

    /// <summary>In completed bodies the first template entry has status "failed".</summary>
    [Description("In completed bodies the first template entry has status \"failed\".")]
    CompletedTemplateNotSuccess,

    /// <summary>Completed bodies omit every entry of the last requested template.</summary>
    [Description("Completed bodies omit every entry of the last requested template.")]
    CompletedMissesRequestedTemplate,

    /// <summary>Sessions stay 202 processing forever after End.</summary>
    [Description("Sessions stay 202 processing forever after End.")]
    NeverFinishes,

    /// <summary>Registering a webhook answers 200 instead of 201 (same body).</summary>
    [Description("Registering a webhook answers 200 instead of 201 (same body).")]
    RegistrationAnswers200,

    /// <summary>The webhook endpoints (register, list, delete) accept requests without a credential.</summary>
    [Description("The webhook endpoints (register, list, delete) accept requests without a credential.")]
    WebhooksAcceptNoCredential,

    /// <summary>The webhook listing is always empty.</summary>
    [Description("The webhook listing is always empty.")]
    WebhookListOmitsRegistrations,

    /// <summary>The webhook listing shows each registration's secret.</summary>
    [Description("The webhook listing shows each registration's secret.")]
    WebhookListShowsSecret,

    /// <summary>Deleting a webhook answers 200 with a body instead of 204 (it is still deleted).</summary>
    [Description("Deleting a webhook answers 200 with a body instead of 204 (it is still deleted).")]
    WebhookDeleteAnswers200,

    /// <summary>Deleting an unknown webhook id answers 204 instead of 404 webhook_not_found.</summary>
    [Description("Deleting an unknown webhook id answers 204 instead of 404 webhook_not_found.")]
    UnknownWebhookDeleteAnswers204,

    /// <summary>No terminal event (completed, partial, failed, expired) is ever delivered.</summary>
    [Description("No terminal event (completed, partial, failed, expired) is ever delivered.")]
    WebhookNoTerminalEvent,

    /// <summary>session.completed is delivered as "session.complete".</summary>
    [Description("session.completed is delivered as \"session.complete\".")]
    WebhookWrongEventName,

    /// <summary>Webhook payloads carry the session id in upper case.</summary>
    [Description("Webhook payloads carry the session id in upper case.")]
    WebhookWrongSessionId,

    /// <summary>The outcome event is delivered at End (before End answers), while the session is still processing.</summary>
    [Description("The outcome event is delivered at End (before End answers), while the session is still processing.")]
    WebhookBeforeStateChange,

    /// <summary>Webhook deliveries are sent with Content-Type text/plain (same JSON).</summary>
    [Description("Webhook deliveries are sent with Content-Type text/plain (same JSON).")]
    WebhookTextPlain,

    /// <summary>A delivery the receiver refused is not retried.</summary>
    [Description("A delivery the receiver refused is not retried.")]
    WebhookNoRetry,

    /// <summary>Deliveries to a registration with a secret carry no signature header.</summary>
    [Description("Deliveries to a registration with a secret carry no signature header.")]
    WebhookSignatureMissing,

    /// <summary>v1 is the HMAC of the raw body alone, without the "{t}." prefix.</summary>
    [Description("v1 is the HMAC of the raw body alone, without the \"{t}.\" prefix.")]
    WebhookSignatureWrong,

    /// <summary>The signature's t is ten minutes old (v1 matches that t).</summary>
    [Description("The signature's t is ten minutes old (v1 matches that t).")]
    WebhookSignatureStale,

    /// <summary>Deliveries to a registration without a secret are signed anyway (with an empty key).</summary>
    [Description("Deliveries to a registration without a secret are signed anyway (with an empty key).")]
    WebhookSignedWithoutSecret,
}

/// <summary>Names and descriptions of the faults, for the command line.</summary>
internal static class FaultCatalog
{
    public static IEnumerable<Fault> All => Enum.GetValues<Fault>();

    public static string Describe(Fault fault) =>
        typeof(Fault).GetField(fault.ToString())?.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";

    /// <summary>Exact enum name (case-insensitive); numbers are not names.</summary>
    public static bool TryParse(string name, out Fault fault)
    {
        foreach (var candidate in All)
            if (string.Equals(candidate.ToString(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                fault = candidate;
                return true;
            }
        fault = default;
        return false;
    }
}
