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

    // Authentication of Upload, End and every endpoint (AUTH-02, AUTH-10).
    /// <summary>Upload Audio accepts any bearer token (a missing one is still refused).</summary>
    [Description("Upload Audio accepts any bearer token (a missing one is still refused).")]
    WrongCredentialAcceptedOnUpload,

    /// <summary>An unauthenticated request for an unknown session id gets 404 session_not_found instead of 401.</summary>
    [Description("An unauthenticated request for an unknown session id gets 404 session_not_found instead of 401.")]
    SessionLookedUpBeforeAuth,

    // Upload Audio answers (UPL rows).
    /// <summary>An accepted upload is answered 204 No Content instead of 200 with a body.</summary>
    [Description("An accepted upload is answered 204 No Content instead of 200 with a body.")]
    UploadAnswers204,

    /// <summary>Accepted uploads are answered with success: false.</summary>
    [Description("Accepted uploads are answered with success: false.")]
    UploadSuccessFalse,

    /// <summary>Upload 200 bodies lack original_filename.</summary>
    [Description("Upload 200 bodies lack original_filename.")]
    UploadBodyWithoutOriginalFilename,

    /// <summary>A multipart/form-data upload to upload_url is answered 404 not_found (no such route), nothing stored.</summary>
    [Description("A multipart/form-data upload to upload_url is answered 404 not_found (no such route), nothing stored.")]
    MultipartUploadRefused,

    /// <summary>Uploads declared audio/ogg are refused with 400 invalid_audio_format although discovery advertises it.</summary>
    [Description("Uploads declared audio/ogg are refused with 400 invalid_audio_format although discovery advertises it.")]
    OggUploadsRefused,

    /// <summary>An upload of an unsupported audio type is answered 200 (not stored).</summary>
    [Description("An upload of an unsupported audio type is answered 200 (not stored).")]
    UnsupportedFormatAccepted,

    /// <summary>A chunk over 10 MB is answered 200 (not stored).</summary>
    [Description("A chunk over 10 MB is answered 200 (not stored).")]
    OversizeChunkAccepted,

    /// <summary>An upload to an unknown session answers 404 with code not_found instead of session_not_found.</summary>
    [Description("An upload to an unknown session answers 404 with code not_found instead of session_not_found.")]
    UnknownSessionUploadCodeNotFound,

    /// <summary>An upload after End is answered 200 (not stored).</summary>
    [Description("An upload after End is answered 200 (not stored).")]
    UploadAcceptedAfterEnd,

    /// <summary>An upload after End is refused with 409 session_locked instead of 400 session_ended.</summary>
    [Description("An upload after End is refused with 409 session_locked instead of 400 session_ended.")]
    EndedUploadRefusedWithWrongCode,

    /// <summary>End and Get Session list audio_files in the order the chunks arrived, not by sequence number.</summary>
    [Description("End and Get Session list audio_files in the order the chunks arrived, not by sequence number.")]
    AudioFilesInArrivalOrder,

    // End Session answers (END rows).
    /// <summary>End Session answers 200 instead of 202 (same body).</summary>
    [Description("End Session answers 200 instead of 202 (same body).")]
    EndAnswers200,

    /// <summary>End Session 202 bodies lack audio_files.</summary>
    [Description("End Session 202 bodies lack audio_files.")]
    EndBodyWithoutAudioFiles,

    /// <summary>End Session 202 bodies carry session_id in upper case.</summary>
    [Description("End Session 202 bodies carry session_id in upper case.")]
    EndBodyWrongSessionId,

    /// <summary>End Session 202 bodies carry status "queued" instead of processing.</summary>
    [Description("End Session 202 bodies carry status \"queued\" instead of processing.")]
    EndStatusQueued,

    /// <summary>End Session reports audio_files_received one more than the chunks stored.</summary>
    [Description("End Session reports audio_files_received one more than the chunks stored.")]
    EndCountsOneMore,

    /// <summary>End Session lists audio_files in reverse sequence order.</summary>
    [Description("End Session lists audio_files in reverse sequence order.")]
    EndListsFilesReversed,

    /// <summary>End of an unknown session answers 404 with a text/plain body instead of the error envelope.</summary>
    [Description("End of an unknown session answers 404 with a text/plain body instead of the error envelope.")]
    UnknownSessionEndWithoutEnvelope,

    /// <summary>A second End of the same session answers 202 again.</summary>
    [Description("A second End of the same session answers 202 again.")]
    SecondEndAccepted,

    /// <summary>When End declared more chunks than arrived, Get Session reports the declared count as audio_files_received.</summary>
    [Description("When End declared more chunks than arrived, Get Session reports the declared count as audio_files_received.")]
    EndMismatchHidden,

    // Error answers of Upload and End (ERR rows).
    /// <summary>Upload errors are FastAPI-style {"detail": "…"} bodies instead of the error envelope.</summary>
    [Description("Upload errors are FastAPI-style {\"detail\": \"…\"} bodies instead of the error envelope.")]
    UploadErrorsWithoutEnvelope,

    /// <summary>Error codes of Create, Upload and End answers are upper case (INVALID_AUDIO_FORMAT).</summary>
    [Description("Error codes of Create, Upload and End answers are upper case (INVALID_AUDIO_FORMAT).")]
    ErrorCodesUpperCase,

    /// <summary>Error answers of Upload and End are sent as text/plain (same JSON text).</summary>
    [Description("Error answers of Upload and End are sent as text/plain (same JSON text).")]
    ErrorsAsTextPlain,

    /// <summary>An upload to an unknown session answers HTTP 400 with code session_not_found.</summary>
    [Description("An upload to an unknown session answers HTTP 400 with code session_not_found.")]
    ErrorCodeStatusMismatch,

    // Expiry (EXP rows).
    /// <summary>A session not yet ended expires a thousandth of its lifetime after creation (milliseconds read as seconds), long before its expires_at.</summary>
    [Description("A session not yet ended expires a thousandth of its lifetime after creation (milliseconds read as seconds), long before its expires_at.")]
    ExpiredBeforeExpiresAt,

    /// <summary>After its first 410 answer, an expired session answers 404 session_not_found.</summary>
    [Description("After its first 410 answer, an expired session answers 404 session_not_found.")]
    ExpiredSessionForgotten,

    /// <summary>An upload to an expired session is answered 200 (not stored).</summary>
    [Description("An upload to an expired session is answered 200 (not stored).")]
    UploadAcceptedAfterExpiry,

    /// <summary>An upload to an expired session is refused with 400 session_ended instead of 410 session_expired.</summary>
    [Description("An upload to an expired session is refused with 400 session_ended instead of 410 session_expired.")]
    ExpiredUploadRefusedWith400,

    /// <summary>End of an expired session answers 202 (the session stays expired).</summary>
    [Description("End of an expired session answers 202 (the session stays expired).")]
    EndAcceptedAfterExpiry,

    // additional_data pass-through (ADD rows).
    /// <summary>410 expired bodies lack additional_data.</summary>
    [Description("410 expired bodies lack additional_data.")]
    AdditionalDataMissingWhenExpired,

    /// <summary>Members of additional_data whose value is null are dropped from Get Session bodies.</summary>
    [Description("Members of additional_data whose value is null are dropped from Get Session bodies.")]
    AdditionalDataNullsDropped,

    /// <summary>additional_data._protocol.requested_templates is an empty list.</summary>
    [Description("additional_data._protocol.requested_templates is an empty list.")]
    ProtocolKeyWithoutTemplates,

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

    // Discovery (DISC-02…DISC-33, DISC-39).
    /// <summary>Discovery is served at the host root only, not below the base path.</summary>
    [Description("Discovery is served at the host root only, not below the base path.")]
    DiscoveryOnlyAtHostRoot,

    /// <summary>msa-draft: discovery is not served at the host root (only below the base path).</summary>
    [Description("msa-draft: discovery is not served at the host root (only below the base path).")]
    DiscoveryNotAtHostRoot,

    /// <summary>Discovery answers 401 to a request without a valid credential.</summary>
    [Description("Discovery answers 401 to a request without a valid credential.")]
    DiscoveryRequiresCredential,

    /// <summary>Discovery answers with Content-Type text/plain (same JSON text).</summary>
    [Description("Discovery answers with Content-Type text/plain (same JSON text).")]
    DiscoveryTextPlain,

    /// <summary>Discovery answers with Cache-Control: no-store instead of a max-age.</summary>
    [Description("Discovery answers with Cache-Control: no-store instead of a max-age.")]
    DiscoveryNotCacheable,

    /// <summary>Discovery's protocol is "medscribe-alliance".</summary>
    [Description("Discovery's protocol is \"medscribe-alliance\".")]
    DiscoveryProtocolMisspelt,

    /// <summary>Discovery's protocol_version is "0.1.0".</summary>
    [Description("Discovery's protocol_version is \"0.1.0\".")]
    DiscoveryVersionNotMajorMinor,

    /// <summary>Discovery's protocol_version "0.2" is missing from supported_versions ["0.1"].</summary>
    [Description("Discovery's protocol_version \"0.2\" is missing from supported_versions [\"0.1\"].")]
    DiscoveryVersionNotSupported,

    /// <summary>Discovery declares only version 1.0 (protocol_version and supported_versions).</summary>
    [Description("Discovery declares only version 1.0 (protocol_version and supported_versions).")]
    DiscoveryWithoutVersion01,

    /// <summary>Discovery's endpoints.base_url is a path without scheme and host.</summary>
    [Description("Discovery's endpoints.base_url is a path without scheme and host.")]
    DiscoveryBaseUrlRelative,

    /// <summary>Discovery says webhook_delivery true but gives no endpoints.webhooks_url.</summary>
    [Description("Discovery says webhook_delivery true but gives no endpoints.webhooks_url.")]
    DiscoveryWebhooksWithoutUrl,

    /// <summary>Discovery's authentication.supported_methods also lists "basic".</summary>
    [Description("Discovery's authentication.supported_methods also lists \"basic\".")]
    DiscoveryUnknownAuthMethod,

    /// <summary>Discovery's capabilities.audio_formats also lists "wav" (not a MIME type).</summary>
    [Description("Discovery's capabilities.audio_formats also lists \"wav\" (not a MIME type).")]
    DiscoveryAudioFormatNotMime,

    /// <summary>Discovery's capabilities.max_chunk_duration_seconds is 0.</summary>
    [Description("Discovery's capabilities.max_chunk_duration_seconds is 0.")]
    DiscoveryChunkDurationZero,

    /// <summary>Discovery's capabilities.upload_methods is ["stream"] (no chunked or single).</summary>
    [Description("Discovery's capabilities.upload_methods is [\"stream\"] (no chunked or single).")]
    DiscoveryStreamOnlyUpload,

    /// <summary>Discovery's capabilities.webhook_delivery is the string "false".</summary>
    [Description("Discovery's capabilities.webhook_delivery is the string \"false\".")]
    DiscoveryDeliveryFlagAsString,

    /// <summary>Discovery's models lack max_session_duration_seconds.</summary>
    [Description("Discovery's models lack max_session_duration_seconds.")]
    DiscoveryModelWithoutDuration,

    /// <summary>Discovery's second model has the first model's id.</summary>
    [Description("Discovery's second model has the first model's id.")]
    DiscoveryRepeatedModelId,

    /// <summary>Discovery's languages.supported also lists "eng" (not ISO 639-1).</summary>
    [Description("Discovery's languages.supported also lists \"eng\" (not ISO 639-1).")]
    DiscoveryLanguageNotIso,

    /// <summary>Discovery's first model also lists "fr", which languages.supported lacks.</summary>
    [Description("Discovery's first model also lists \"fr\", which languages.supported lacks.")]
    DiscoveryModelLanguageUnsupported,

    /// <summary>Discovery also advertises upload method single, which Create still refuses.</summary>
    [Description("Discovery also advertises upload method single, which Create still refuses.")]
    SingleUploadAdvertisedButRefused,


    // Create Session: the 201 answer (CRE-01…CRE-37, EXP-01).
    /// <summary>Create Session answers 200 instead of 201 (same body).</summary>
    [Description("Create Session answers 200 instead of 201 (same body).")]
    CreateAnswers200,

    /// <summary>201 bodies lack expires_at (the session still expires).</summary>
    [Description("201 bodies lack expires_at (the session still expires).")]
    CreatedWithoutExpiresAt,

    /// <summary>201 bodies carry status "initialized" instead of "created".</summary>
    [Description("201 bodies carry status \"initialized\" instead of \"created\".")]
    CreatedStatusInitialized,

    /// <summary>201 bodies give expires_at equal to created_at.</summary>
    [Description("201 bodies give expires_at equal to created_at.")]
    CreatedExpiresAtEqualsCreatedAt,

    /// <summary>201 bodies give a created_at one day before the session was created.</summary>
    [Description("201 bodies give a created_at one day before the session was created.")]
    CreatedAtOneDayEarly,

    /// <summary>201 bodies give expires_at one day after created_at (the session still expires on time).</summary>
    [Description("201 bodies give expires_at one day after created_at (the session still expires on time).")]
    CreatedLifetimeOneDay,

    /// <summary>201 bodies give upload_url as a path without scheme and host.</summary>
    [Description("201 bodies give upload_url as a path without scheme and host.")]
    CreatedUploadUrlRelative,

    /// <summary>201 bodies give upload_url {base}/uploads/{id}, not the Upload Audio endpoint.</summary>
    [Description("201 bodies give upload_url {base}/uploads/{id}, not the Upload Audio endpoint.")]
    CreatedUploadUrlElsewhere,

    /// <summary>201 answers have Content-Type text/plain (same JSON text).</summary>
    [Description("201 answers have Content-Type text/plain (same JSON text).")]
    CreatedAsTextPlain,

    /// <summary>A client-chosen session_id is ignored: the server makes its own.</summary>
    [Description("A client-chosen session_id is ignored: the server makes its own.")]
    ClientSessionIdIgnored,


    // Create Session: bad bodies (CRE-15…CRE-38).
    /// <summary>Create answers a body that is not JSON with 500 internal_error.</summary>
    [Description("Create answers a body that is not JSON with 500 internal_error.")]
    CreateInvalidJsonAs500,

    /// <summary>Create accepts a body without upload_type (as if chunked).</summary>
    [Description("Create accepts a body without upload_type (as if chunked).")]
    CreateDefaultsUploadType,

    /// <summary>Create accepts templates given as one string.</summary>
    [Description("Create accepts templates given as one string.")]
    CreateAcceptsTemplatesString,

    /// <summary>Create answers a numeric upload_type with 500 internal_error.</summary>
    [Description("Create answers a numeric upload_type with 500 internal_error.")]
    CreateMistypedUploadTypeAs500,

    /// <summary>Create accepts an upload_type outside chunked/single/stream (as if chunked).</summary>
    [Description("Create accepts an upload_type outside chunked/single/stream (as if chunked).")]
    CreateAcceptsUnknownUploadType,

    /// <summary>Create accepts upload_type single or stream, which discovery does not advertise (as if chunked).</summary>
    [Description("Create accepts upload_type single or stream, which discovery does not advertise (as if chunked).")]
    CreateAcceptsUnadvertisedUploadType,

    /// <summary>Create accepts a model that discovery does not list (as if none was given).</summary>
    [Description("Create accepts a model that discovery does not list (as if none was given).")]
    CreateAcceptsUnknownModel,

    /// <summary>Create accepts more than two templates (keeping the first two).</summary>
    [Description("Create accepts more than two templates (keeping the first two).")]
    CreateAcceptsThreeTemplates,

    /// <summary>Create accepts a client session_id outside 16–32 characters (making its own id).</summary>
    [Description("Create accepts a client session_id outside 16–32 characters (making its own id).")]
    CreateIgnoresSessionIdLength,


    // Versioning (VER-01, VER-02).
    /// <summary>Requests with MSA-Version: 0.1 are refused with 400 unsupported_version.</summary>
    [Description("Requests with MSA-Version: 0.1 are refused with 400 unsupported_version.")]
    SupportedVersionRefused,

    /// <summary>Requests naming an unsupported MSA-Version are served as if it were absent.</summary>
    [Description("Requests naming an unsupported MSA-Version are served as if it were absent.")]
    UnsupportedVersionIgnored,


    // Templates in msa-draft (TPL-10).
    /// <summary>msa-draft: completed/partial templates is the EkaScribe list of single-key objects, not a map.</summary>
    [Description("msa-draft: completed/partial templates is the EkaScribe list of single-key objects, not a map.")]
    TemplatesAsList,
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

    // Coverage (wt-e)

    /// <summary>Discovery answers after the first are the document wrapped in a JSON array, not an object.</summary>
    [Description("Discovery answers after the first are the document wrapped in a JSON array, not an object.")]
    DiscoveryRepeatedAnswersAsArray,

    /// <summary>Discovery's service.name is an empty string.</summary>
    [Description("Discovery's service.name is an empty string.")]
    DiscoveryServiceNameEmpty,

    /// <summary>Discovery's models list lite only (pro is left out).</summary>
    [Description("Discovery's models list lite only (pro is left out).")]
    DiscoveryWithoutProModel,

    /// <summary>Discovery lists oidc among supported_methods but gives no authentication.oidc block.</summary>
    [Description("Discovery lists oidc among supported_methods but gives no authentication.oidc block.")]
    DiscoveryOidcWithoutBlock,

    /// <summary>Every 201 after the first hands out the first session's id again.</summary>
    [Description("Every 201 after the first hands out the first session's id again.")]
    CreatedSessionIdRepeated,

    /// <summary>The 201 answer leaves out the patient_details the Create gave.</summary>
    [Description("The 201 answer leaves out the patient_details the Create gave.")]
    CreatedWithoutPatientDetails,

    /// <summary>The 201 answer's upload_url is plain http on a non-loopback host.</summary>
    [Description("The 201 answer's upload_url is plain http on a non-loopback host.")]
    CreatedUploadUrlPlainHttp,

    /// <summary>End's 202 body has an empty message.</summary>
    [Description("End's 202 body has an empty message.")]
    EndMessageEmpty,

    /// <summary>Create accepts a body without communication_protocol.</summary>
    [Description("Create accepts a body without communication_protocol.")]
    CreateAcceptsMissingCommunicationProtocol,

    /// <summary>Create accepts a communication_protocol outside websocket, http and rpc.</summary>
    [Description("Create accepts a communication_protocol outside websocket, http and rpc.")]
    CreateAcceptsUnknownCommunicationProtocol,

    /// <summary>Create refuses a body without templates (as if templates were required).</summary>
    [Description("Create refuses a body without templates (as if templates were required).")]
    CreateRequiresTemplates,

    /// <summary>Create refuses a language_hint of more than one code.</summary>
    [Description("Create refuses a language_hint of more than one code.")]
    CreateRefusesSeveralLanguageHints,

    /// <summary>Create refuses language_hint ["auto_detect"].</summary>
    [Description("Create refuses language_hint [\"auto_detect\"].")]
    CreateRefusesAutoDetect,

    /// <summary>Create refuses transcript_language given as a string.</summary>
    [Description("Create refuses transcript_language given as a string.")]
    CreateRefusesTranscriptLanguageString,

    /// <summary>Create refuses any session_mode, consultation and dictation included.</summary>
    [Description("Create refuses any session_mode, consultation and dictation included.")]
    CreateRefusesSessionMode,

    /// <summary>Create accepts a session_mode other than consultation and dictation.</summary>
    [Description("Create accepts a session_mode other than consultation and dictation.")]
    CreateAcceptsUnknownSessionMode,

    /// <summary>A connection that once carried a valid credential lets later credential-less requests through.</summary>
    [Description("A connection that once carried a valid credential lets later credential-less requests through.")]
    CredentialCarriedOverOnConnection,

    /// <summary>End answers 401 to the key sent the profile's way (Bearer in ekascribe, X-API-Key in msa-draft).</summary>
    [Description("End answers 401 to the key sent the profile's way (Bearer in ekascribe, X-API-Key in msa-draft).")]
    EndRefusesProfileKeyForm,

    /// <summary>audio_files (End and Get Session) keeps the uploaded names (audio_0.wav) instead of 0.wav.</summary>
    [Description("audio_files (End and Get Session) keeps the uploaded names (audio_0.wav) instead of 0.wav.")]
    AudioFilesKeepUploadNames,

    /// <summary>Get Session's audio_files lists the chunks of every session, not only its own.</summary>
    [Description("Get Session's audio_files lists the chunks of every session, not only its own.")]
    AudioFilesSharedAcrossSessions,

    /// <summary>Discovery's base_url points to a path below the API where no session endpoint exists.</summary>
    [Description("Discovery's base_url points to a path below the API where no session endpoint exists.")]
    DiscoveryBaseUrlWithoutSessions,

    /// <summary>Upload refusals come as a text/html error page instead of the error envelope.</summary>
    [Description("Upload refusals come as a text/html error page instead of the error envelope.")]
    UploadErrorsAsHtml,

    /// <summary>An End arriving within 2 s of the session's accepted End is answered 202 as well.</summary>
    [Description("An End arriving within 2 s of the session's accepted End is answered 202 as well.")]
    SimultaneousEndsBothAccepted,

    /// <summary>audio_files (End and Get Session) is sorted as text, so 10.wav comes before 9.wav.</summary>
    [Description("audio_files (End and Get Session) is sorted as text, so 10.wav comes before 9.wav.")]
    AudioFilesSortedAsText,
    // Coverage (wt-d)

    /// <summary>The 200 completed body has no status field.</summary>
    [Description("The 200 completed body has no status field.")]
    StatusMissingWhenCompleted,

    /// <summary>completed_at is an hour before created_at.</summary>
    [Description("completed_at is an hour before created_at.")]
    CompletedAtBeforeCreatedAt,

    /// <summary>model_used names a model discovery does not list ('turbo').</summary>
    [Description("model_used names a model discovery does not list ('turbo').")]
    ModelUsedNotAdvertised,

    /// <summary>language_detected is a locale ('en-US'), not a two-letter ISO 639-1 code.</summary>
    [Description("language_detected is a locale ('en-US'), not a two-letter ISO 639-1 code.")]
    LanguageDetectedAsLocale,

    /// <summary>The 200 completed body's transcript is an empty string.</summary>
    [Description("The 200 completed body's transcript is an empty string.")]
    CompletedTranscriptEmpty,

    /// <summary>audio_files_processed is one more than audio_files_received.</summary>
    [Description("audio_files_processed is one more than audio_files_received.")]
    ProcessedExceedsReceived,

    /// <summary>202 bodies leave out patient_details.</summary>
    [Description("202 bodies leave out patient_details.")]
    PatientDetailsMissingWhilePending,

    /// <summary>The 410 body lists no audio files although chunks were uploaded before expiry.</summary>
    [Description("The 410 body lists no audio files although chunks were uploaded before expiry.")]
    ExpiredForgetsUploads,

    /// <summary>Completed and partial results carry an entry for a template nobody requested.</summary>
    [Description("Completed and partial results carry an entry for a template nobody requested.")]
    UnrequestedTemplateInResult,

    /// <summary>A session with a failed (unknown) template is reported 200 completed.</summary>
    [Description("A session with a failed (unknown) template is reported 200 completed.")]
    PartialReportedCompleted,

    /// <summary>A session with an unknown template produces no result for its valid templates either.</summary>
    [Description("A session with an unknown template produces no result for its valid templates either.")]
    PartialDropsValidTemplates,

    /// <summary>Successful template results carry data as a string, not an object.</summary>
    [Description("Successful template results carry data as a string, not an object.")]
    TemplateDataAsString,

    /// <summary>Create, Upload and End errors carry an empty error.message.</summary>
    [Description("Create, Upload and End errors carry an empty error.message.")]
    ErrorMessageEmpty,

    /// <summary>GET of an expired session answers 410 with the session_expired error envelope instead of the session body.</summary>
    [Description("GET of an expired session answers 410 with the session_expired error envelope instead of the session body.")]
    ExpiredAsErrorEnvelope,

    /// <summary>Create accepts an additional_data that is not an object (and stores nothing for it).</summary>
    [Description("Create accepts an additional_data that is not an object (and stores nothing for it).")]
    CreateAcceptsNonObjectAdditionalData,

    /// <summary>session_ended and session_completed refusals are sent with HTTP 409.</summary>
    [Description("session_ended and session_completed refusals are sent with HTTP 409.")]
    EndedCodesWith409,

    /// <summary>chunk_too_large refusals are sent with HTTP 400.</summary>
    [Description("chunk_too_large refusals are sent with HTTP 400.")]
    ChunkTooLargeWith400,

    /// <summary>While processing, 202 bodies report no audio files (audio_files_received drops to 0).</summary>
    [Description("While processing, 202 bodies report no audio files (audio_files_received drops to 0).")]
    ProcessingForgetsUploads,

    /// <summary>GET of an expired session answers 410 with an error envelope whose code is not session_expired.</summary>
    [Description("GET of an expired session answers 410 with an error envelope whose code is not session_expired.")]
    ExpiredEnvelopeWrongCode,

    /// <summary>A session ended without audio is reported 410 expired instead of 200 failed.</summary>
    [Description("A session ended without audio is reported 410 expired instead of 200 failed.")]
    FailedSessionReportedExpired,

    /// <summary>202 bodies carry transcript null instead of a string.</summary>
    [Description("202 bodies carry transcript null instead of a string.")]
    PendingTranscriptNull,

    /// <summary>processing_errors items have no type.</summary>
    [Description("processing_errors items have no type.")]
    ProcessingErrorsWithoutType,

    /// <summary>A failed template result carries error as a plain string.</summary>
    [Description("A failed template result carries error as a plain string.")]
    FailedTemplateErrorAsString,

    /// <summary>model_used is taken from additional_data.model when the client put one there.</summary>
    [Description("model_used is taken from additional_data.model when the client put one there.")]
    AdditionalDataModelUsed,

    // ----- Templates catalogue (GET {base_url}/templates: TPL-CAT rows) -----
    // Switches that break the catalogue endpoint or the ids it lists.
    // Each keeps the Create, Upload, End and Get Session answers conforming.

    /// <summary>GET {base}/templates answers 404 with the not_found envelope, as if there were no catalogue.</summary>
    [Description("GET {base}/templates answers 404 with the not_found envelope, as if there were no catalogue.")]
    TemplatesCatalogueMissing,

    /// <summary>The catalogue's entries carry id and name but no description.</summary>
    [Description("The catalogue's entries carry id and name but no description.")]
    TemplatesCatalogueWithoutDescription,

    /// <summary>The catalogue answers a request without a credential with 200 and the list.</summary>
    [Description("The catalogue answers a request without a credential with 200 and the list.")]
    TemplatesCatalogueOpenToAnonymous,

    /// <summary>The catalogue also lists retired_template, which Create refuses with 400 invalid_template.</summary>
    [Description("The catalogue also lists retired_template, which Create refuses with 400 invalid_template.")]
    TemplatesCatalogueListsRetiredId,

    /// <summary>The catalogue lists its first template twice.</summary>
    [Description("The catalogue lists its first template twice.")]
    TemplatesCatalogueDuplicateId,

    // ----- Webhooks: subscriptions, notification content, signature header names -----
    // Switches that break which events are delivered, what a notification carries,
    // or which header carries the signature.

    /// <summary>Every event is delivered to every registration, whatever it subscribed to.</summary>
    [Description("Every event is delivered to every registration, whatever it subscribed to.")]
    WebhookIgnoresSubscribedEvents,

    /// <summary>Outcome notifications also carry a transcript and template results.</summary>
    [Description("Outcome notifications also carry a transcript and template results.")]
    WebhookNotificationCarriesTranscript,

    /// <summary>The webhook signature goes in the other profile's header (Eka-Webhook-Signature in msa-draft, X-MSA-Signature in ekascribe).</summary>
    [Description("The webhook signature goes in the other profile's header (Eka-Webhook-Signature in msa-draft, X-MSA-Signature in ekascribe).")]
    SignatureHeaderOfOtherProfile,

    // ----- Coverage F (cookies, versions, session ids, uploads, isolation, expiry) -----
    // Switches added to cover the remaining MUST rows of requirements.md.
    // Each breaks one requirement and nothing else.

    /// <summary>202 bodies lack additional_data.</summary>
    [Description("202 bodies lack additional_data.")]
    PendingWithoutAdditionalData,

    /// <summary>206 processing_errors items are plain strings, not objects.</summary>
    [Description("206 processing_errors items are plain strings, not objects.")]
    ProcessingErrorsAsStrings,

    /// <summary>410 bodies carry a non-empty transcript.</summary>
    [Description("410 bodies carry a non-empty transcript.")]
    ExpiredCarriesTranscript,

    /// <summary>Template results carry a presigned_url on plain http.</summary>
    [Description("Template results carry a presigned_url on plain http.")]
    PresignedUrlOverHttp,

    /// <summary>A session never ended stays 202 initialized after expires_at instead of expiring.</summary>
    [Description("A session never ended stays 202 initialized after expires_at instead of expiring.")]
    NeverExpires,

    /// <summary>Every third Get Session answer is the previous answer given for another session.</summary>
    [Description("Every third Get Session answer is the previous answer given for another session.")]
    AnswersCrossBetweenSessions,

    /// <summary>The msa-draft server adds the EkaScribe _protocol key to additional_data.</summary>
    [Description("The msa-draft server adds the EkaScribe _protocol key to additional_data.")]
    AdditionalDataGainsProtocolKey,

    /// <summary>Server-made session ids look like sess-&lt;hex&gt; instead of ses_&lt;alphanumerics&gt;.</summary>
    [Description("Server-made session ids look like sess-<hex> instead of ses_<alphanumerics>.")]
    SessionIdWithoutPrefix,

    /// <summary>The msa-draft server accepts a Create body without templates.</summary>
    [Description("The msa-draft server accepts a Create body without templates.")]
    CreateAcceptsMissingTemplates,

    /// <summary>Create naming an unknown template id answers 500 internal_error.</summary>
    [Description("Create naming an unknown template id answers 500 internal_error.")]
    UnknownTemplateCreateAs500,

    /// <summary>Create answers set a session cookie without HttpOnly.</summary>
    [Description("Create answers set a session cookie without HttpOnly.")]
    CreateSetsCookieWithoutHttpOnly,

    /// <summary>Discovery lists a deprecated version, sunset in 90 days, that supported_versions no longer holds.</summary>
    [Description("Discovery lists a deprecated version, sunset in 90 days, that supported_versions no longer holds.")]
    DeprecatedVersionDroppedBeforeSunset,

    /// <summary>An upload without Content-Type is refused with 400 invalid_audio_format.</summary>
    [Description("An upload without Content-Type is refused with 400 invalid_audio_format.")]
    UploadRequiresContentType,

    /// <summary>An upload after processing finished is accepted with 200.</summary>
    [Description("An upload after processing finished is accepted with 200.")]
    UploadAcceptedAfterCompletion,

    /// <summary>An upload after processing finished is refused with session_ended instead of session_completed.</summary>
    [Description("An upload after processing finished is refused with session_ended instead of session_completed.")]
    UploadAfterCompletionSaysSessionEnded,

    /// <summary>An upload that starts within 50 ms of the previous upload to the same session is answered 200 but not stored.</summary>
    [Description("An upload that starts within 50 ms of the previous upload to the same session is answered 200 but not stored.")]
    OverlappingUploadsLost,

    /// <summary>The msa-draft server sends chunk_too_large with HTTP 413 instead of 400.</summary>
    [Description("The msa-draft server sends chunk_too_large with HTTP 413 instead of 400.")]
    ChunkTooLargeWith413,
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
