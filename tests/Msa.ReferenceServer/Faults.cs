using System.Reflection;

namespace Msa.ReferenceServer;

/// <summary>
/// The one table of faults: one switch per defect the reference server can inject, each named for the property it
/// breaks and declaring, once, what it does and which catalogue rows (suites/requirements.csv) it breaks. The kill
/// matrix (some check of each row fails), the precision matrix (no check of another row fails or warns) and
/// <c>--list-faults</c> are all derived from it. All mutation logic is in <see cref="Http.FaultInjector"/>.
/// </summary>
public enum Fault
{
    [Defect("202 answers carry status \"queued\" instead of processing/initialized.", "GET-PAIR-01", "GET-PAIR-02", "GET-PAIR-13")]
    UnknownStatusWhileProcessing,

    [Defect("While processing (after End), Get Session answers HTTP 200 (body still processing).", "GET-PAIR-10")]
    ProcessingAs200,

    [Defect("A failed session is answered with HTTP 500 (body still the failed session body).", "GET-PAIR-11", "GET-PAIR-04")]
    FailedAs500,

    [Defect("A partial session is answered with HTTP 200 instead of 206 (body still partial).", "GET-PAIR-06", "GET-PAIR-10")]
    PartialAs200,

    [Defect("An expired session is answered 404 with the session_not_found envelope.", "GET-PAIR-07")]
    ExpiredAs404,

    [Defect("An unknown session id gets 404 with a text/html body instead of the error envelope.", "GET-PAIR-08", "ERR-01", "ERR-05", "GET-PAIR-21", "GET-PAIR-20")]
    UnknownSessionWithoutEnvelope,

    [Defect("Completed sessions carry status \"complete\".", "GET-PAIR-03")]
    CompletedStatusMisspelt,

    [Defect("A session that was not ended answers HTTP 200 (status initialized).", "GET-PAIR-12", "POLL-03", "END-12", "GET-PAIR-10")]
    NotEndedAs200,

    [Defect("Before End, the 202 status is processing instead of initialized.", "GET-PAIR-13")]
    ProcessingBeforeEnd,

    [Defect("After a terminal answer was served once, the next GET answers 202 processing (then terminal again).", "GET-PAIR-14")]
    TerminalRevertsTo202,

    [Defect("The first GET after End answers 404 session_not_found.", "GET-PAIR-15")]
    NotFoundRightAfterEnd,

    [Defect("Every Get Session body has session_id in upper case.", "GET-PAIR-17")]
    WrongSessionIdInBody,

    [Defect("Get Session responses have Content-Type text/plain (same JSON text).", "GET-PAIR-21", "ERR-05")]
    TextPlainContentType,

    [Defect("202 bodies lack expires_at.", "GET-FLD-01")]
    MissingExpiresAtWhileProcessing,

    [Defect("200 completed bodies lack transcript.", "GET-FLD-06", "GET-FLD-07")]
    CompletedWithoutTranscript,

    [Defect("A session created without templates completes with a 200 body that lacks model_used (sessions created with templates are whole).", "GET-FLD-06")]
    CompletedWithoutTemplatesLacksModelUsed,

    [Defect("200 failed bodies lack audio_files.", "GET-FLD-25")]
    FailedWithoutAudioFiles,

    [Defect("206 bodies lack processing_errors.", "GET-FLD-15", "GET-FLD-16")]
    PartialWithoutProcessingErrors,

    [Defect("410 bodies lack expired_at.", "GET-FLD-20")]
    ExpiredWithoutExpiredAt,

    [Defect("200 completed bodies lack upload_url (as Eka's open-source build does).", "GET-FLD-05")]
    UploadUrlMissingWhenCompleted,

    [Defect("created_at in Get Session bodies is written without a zone offset.", "GET-FLD-32")]
    TimestampsWithoutOffset,

    [Defect("Completed/partial templates is an object keyed by template id (the community-draft shape).", "TPL-01")]
    TemplatesAsMap,

    [Defect("Each templates element gets a second key \"meta\": {} beside the template id.", "TPL-02")]
    TemplateEntryWithTwoKeys,

    [Defect("Template inner objects lack status.", "TPL-05")]
    TemplateEntryWithoutStatus,

    [Defect("?template_id= is ignored (all templates returned).", "TPL-FLT-01")]
    TemplateFilterIgnored,

    [Defect("With ?template_id=X only the first entry for X is returned.", "TPL-FLT-02")]
    TemplateFilterDropsRepeats,

    [Defect("A GET of a session less than 2 s after its previous answered GET gets 429 with Retry-After: 1.", "POLL-01")]
    ThrottlesPolling,

    [Defect("After End, every second 202 answer says initialized.", "POLL-08", "GET-PAIR-13")]
    StatusRegressesToInitialized,

    [Defect("created_at in Get Session bodies is the current time instead of the creation time.", "GET-FLD-27", "POLL-07")]
    CreatedAtDrifts,

    [Defect("Get Session without credentials is answered normally (no 401).", "AUTH-01")]
    NoCredentialAccepted,

    [Defect("401 answers have a text/plain body \"Unauthorized\" instead of the error envelope.", "AUTH-03", "ERR-01", "ERR-05", "UPL-17")]
    UnauthorizedWithoutEnvelope,

    // Authentication of Upload, End and every endpoint (AUTH-02, AUTH-10).
    [Defect("Upload Audio accepts any bearer token (a missing one is still refused).", "AUTH-02")]
    WrongCredentialAcceptedOnUpload,

    [Defect("An unauthenticated request for an unknown session id gets 404 session_not_found instead of 401.", "AUTH-10")]
    SessionLookedUpBeforeAuth,

    // Upload Audio answers (UPL rows).
    [Defect("An accepted upload is answered 204 No Content instead of 200 with a body.", "UPL-01")]
    UploadAnswers204,

    [Defect("Accepted uploads are answered with success: false.", "UPL-02")]
    UploadSuccessFalse,

    [Defect("Upload 200 bodies lack original_filename.", "UPL-02")]
    UploadBodyWithoutOriginalFilename,

    [Defect("A multipart/form-data upload to upload_url is answered 404 not_found (no such route), nothing stored.", "UPL-03")]
    MultipartUploadRefused,

    [Defect("Uploads declared audio/ogg are refused with 400 invalid_audio_format although discovery advertises it.", "UPL-10")]
    OggUploadsRefused,

    [Defect("An upload of an unsupported audio type is answered 200 (not stored).", "UPL-08")]
    UnsupportedFormatAccepted,

    [Defect("A chunk over 10 MB is answered 200 (not stored).", "UPL-11")]
    OversizeChunkAccepted,

    [Defect("An upload to an unknown session answers 404 with code not_found instead of session_not_found.", "UPL-13")]
    UnknownSessionUploadCodeNotFound,

    [Defect("An upload after End is answered 200 (not stored).", "UPL-14")]
    UploadAcceptedAfterEnd,

    [Defect("An upload after End is refused with 409 session_locked instead of 400 session_ended.", "UPL-15")]
    EndedUploadRefusedWithWrongCode,

    [Defect("End and Get Session list audio_files in the order the chunks arrived, not by sequence number.", "UPL-18", "END-07", "UPL-19", "ISO-03")]
    AudioFilesInArrivalOrder,

    // End Session answers (END rows).
    [Defect("End Session answers 200 instead of 202 (same body).", "END-01")]
    EndAnswers200,

    [Defect("End Session 202 bodies lack audio_files.", "END-02")]
    EndBodyWithoutAudioFiles,

    [Defect("End Session 202 bodies carry session_id in upper case.", "END-03")]
    EndBodyWrongSessionId,

    [Defect("End Session 202 bodies carry status \"queued\" instead of processing.", "END-04")]
    EndStatusQueued,

    [Defect("End Session reports audio_files_received one more than the chunks stored.", "END-06", "UPL-20", "GET-FLD-30")]
    EndCountsOneMore,

    [Defect("End Session lists audio_files in reverse sequence order.", "END-07", "GET-FLD-30", "UPL-18", "UPL-19", "ISO-03")]
    EndListsFilesReversed,

    [Defect("End of an unknown session answers 404 with a text/plain body instead of the error envelope.", "END-08", "ERR-01", "ERR-05")]
    UnknownSessionEndWithoutEnvelope,

    [Defect("A second End of the same session answers 202 again.", "END-09", "ISO-06")]
    SecondEndAccepted,

    [Defect("When End declared more chunks than arrived, Get Session reports the declared count as audio_files_received.", "END-16", "GET-FLD-29")]
    EndMismatchHidden,

    // Error answers of Upload and End (ERR rows).
    [Defect("Upload errors are FastAPI-style {\"detail\": \"…\"} bodies instead of the error envelope.", "ERR-01", "UPL-17")]
    UploadErrorsWithoutEnvelope,

    [Defect("Error codes of Create, Upload and End answers are upper case (INVALID_AUDIO_FORMAT).", "ERR-02")]
    ErrorCodesUpperCase,

    [Defect("Error answers of Upload and End are sent as text/plain (same JSON text).", "ERR-05")]
    ErrorsAsTextPlain,

    [Defect("An upload to an unknown session answers HTTP 400 with code session_not_found.", "ERR-06", "UPL-13")]
    ErrorCodeStatusMismatch,

    // Expiry (EXP rows).
    [Defect("A session not yet ended expires a thousandth of its lifetime after creation (milliseconds read as seconds), long before its expires_at.", "EXP-06", "GET-PAIR-12")]
    ExpiredBeforeExpiresAt,

    [Defect("After its first 410 answer, an expired session answers 404 session_not_found.", "EXP-12")]
    ExpiredSessionForgotten,

    [Defect("An upload to an expired session is answered 200 (not stored).", "EXP-07")]
    UploadAcceptedAfterExpiry,

    [Defect("An upload to an expired session is refused with 400 session_ended instead of 410 session_expired.", "EXP-08")]
    ExpiredUploadRefusedWith400,

    [Defect("End of an expired session answers 202 (the session stays expired).", "EXP-09")]
    EndAcceptedAfterExpiry,

    // additional_data pass-through (ADD rows).
    [Defect("410 expired bodies lack additional_data.", "ADD-01")]
    AdditionalDataMissingWhenExpired,

    [Defect("Members of additional_data whose value is null are dropped from Get Session bodies.", "ADD-03", "ADD-02", "ADD-04")]
    AdditionalDataNullsDropped,

    [Defect("additional_data._protocol.requested_templates is an empty list.", "ADD-08")]
    ProtocolKeyWithoutTemplates,

    [Defect("Get Session audio_files_received is one more than the length of audio_files.", "GET-FLD-29", "GET-FLD-30", "GET-FLD-31")]
    AudioCountMismatch,

    [Defect("Before End, Get Session reports audio_files_received 0 and audio_files [].", "GET-FLD-31")]
    GetForgetsUploadsBeforeEnd,

    [Defect("After End, Get Session lists audio_files in reverse order.", "GET-FLD-30", "UPL-18")]
    EndAndGetDisagreeOnFiles,

    [Defect("In completed bodies the first template entry has status \"failed\".", "TPL-09", "GET-PAIR-18")]
    CompletedTemplateNotSuccess,

    [Defect("Completed bodies omit every entry of the last requested template.", "TPL-14", "GET-PAIR-18")]
    CompletedMissesRequestedTemplate,

    [Defect("Sessions stay 202 processing forever after End.", Purpose = "proves the deadline ends the wait as inconclusive, never as a failure or a hang")]
    NeverFinishes,

    // Discovery (DISC-02…DISC-33, DISC-39).
    [Defect("Discovery is served at the host root only, not below the base path.", "DISC-02")]
    DiscoveryOnlyAtHostRoot,

    [Defect("msa-draft: discovery is not served at the host root (only below the base path).", "DISC-03")]
    DiscoveryNotAtHostRoot,

    [Defect("Discovery answers 401 to a request without a valid credential.", "DISC-04")]
    DiscoveryRequiresCredential,

    [Defect("Discovery answers with Content-Type text/plain (same JSON text).", "DISC-05")]
    DiscoveryTextPlain,

    [Defect("Discovery answers with Cache-Control: no-store instead of a max-age.", "DISC-06")]
    DiscoveryNotCacheable,

    [Defect("Discovery's protocol is \"medscribe-alliance\".", "DISC-09")]
    DiscoveryProtocolMisspelt,

    [Defect("Discovery's protocol_version is \"0.1.0\".", "DISC-10", "DISC-11")]
    DiscoveryVersionNotMajorMinor,

    [Defect("Discovery's protocol_version \"0.2\" is missing from supported_versions [\"0.1\"].", "DISC-11")]
    DiscoveryVersionNotSupported,

    [Defect("Discovery declares only version 1.0 (protocol_version and supported_versions).", "DISC-12")]
    DiscoveryWithoutVersion01,

    [Defect("Discovery's endpoints.base_url is a path without scheme and host.", "DISC-13")]
    DiscoveryBaseUrlRelative,

    [Defect("Discovery says webhook_delivery true but gives no endpoints.webhooks_url.", "DISC-15")]
    DiscoveryWebhooksWithoutUrl,

    [Defect("Discovery's authentication.supported_methods also lists \"basic\".", "DISC-17")]
    DiscoveryUnknownAuthMethod,

    [Defect("Discovery's capabilities.audio_formats also lists \"wav\" (not a MIME type).", "DISC-20")]
    DiscoveryAudioFormatNotMime,

    [Defect("Discovery's capabilities.max_chunk_duration_seconds is 0.", "DISC-22")]
    DiscoveryChunkDurationZero,

    [Defect("Discovery's capabilities.upload_methods is [\"stream\"] (no chunked or single).", "DISC-24")]
    DiscoveryStreamOnlyUpload,

    [Defect("Discovery's capabilities.webhook_delivery is the string \"false\".", "DISC-25")]
    DiscoveryDeliveryFlagAsString,

    [Defect("Discovery's models lack max_session_duration_seconds.", "DISC-26")]
    DiscoveryModelWithoutDuration,

    [Defect("Discovery's second model has the first model's id.", "DISC-27", "DISC-28")]
    DiscoveryRepeatedModelId,

    [Defect("Discovery's languages.supported also lists \"eng\" (not ISO 639-1).", "DISC-32")]
    DiscoveryLanguageNotIso,

    [Defect("Discovery's first model also lists \"fr\", which languages.supported lacks.", "DISC-33")]
    DiscoveryModelLanguageUnsupported,

    [Defect("Discovery also advertises upload method single, which Create still refuses.", "DISC-39")]
    SingleUploadAdvertisedButRefused,


    // Create Session: the 201 answer (CRE-01…CRE-37, EXP-01).
    [Defect("Create Session answers 200 instead of 201 (same body).", "CRE-01", "CRE-18", "CRE-14", "CRE-39")]
    CreateAnswers200,

    [Defect("201 bodies lack expires_at (the session still expires).", "CRE-02")]
    CreatedWithoutExpiresAt,

    [Defect("201 bodies carry status \"initialized\" instead of \"created\".", "CRE-03")]
    CreatedStatusInitialized,

    [Defect("201 bodies give expires_at equal to created_at.", "CRE-04", "EXP-01")]
    CreatedExpiresAtEqualsCreatedAt,

    [Defect("201 bodies give a created_at one day before the session was created.", "CRE-05", "EXP-01", "GET-FLD-27")]
    CreatedAtOneDayEarly,

    [Defect("201 bodies give expires_at one day after created_at (the session still expires on time).", "EXP-01")]
    CreatedLifetimeOneDay,

    [Defect("201 bodies give upload_url as a path without scheme and host.", "CRE-06", "GET-FLD-05")]
    CreatedUploadUrlRelative,

    [Defect("201 bodies give upload_url {base}/uploads/{id}, not the Upload Audio endpoint (for a stream session, nothing that opens).", "CRE-08", "GET-FLD-05", "UPL-WS-01")]
    CreatedUploadUrlElsewhere,

    [Defect("201 answers have Content-Type text/plain (same JSON text).", "CRE-37")]
    CreatedAsTextPlain,

    [Defect("A client-chosen session_id is ignored: the server makes its own.", "CRE-14", "CRE-15")]
    ClientSessionIdIgnored,


    // Create Session: bad bodies (CRE-15…CRE-38).
    [Defect("Create answers a body that is not JSON with 500 internal_error.", "CRE-34")]
    CreateInvalidJsonAs500,

    [Defect("Create accepts a body without upload_type (as if chunked).", "CRE-16", Profiles = new[] { ServerProfile.Ekascribe, ServerProfile.MsaDraft })]
    CreateDefaultsUploadType,

    [Defect("Create accepts templates given as one string.", "CRE-35")]
    CreateAcceptsTemplatesString,

    [Defect("Create answers a numeric upload_type with 500 internal_error.", "CRE-35")]
    CreateMistypedUploadTypeAs500,

    [Defect("Create accepts an upload_type outside chunked/single/stream (as if chunked).", "CRE-21")]
    CreateAcceptsUnknownUploadType,

    [Defect("Create accepts upload_type single, which discovery does not advertise (as if chunked).", "CRE-38")]
    CreateAcceptsUnadvertisedUploadType,

    [Defect("Create accepts a model that discovery does not list (as if none was given).", "CRE-23")]
    CreateAcceptsUnknownModel,

    [Defect("Create accepts more than two templates (keeping the first two).", "CRE-20")]
    CreateAcceptsThreeTemplates,

    [Defect("Create accepts a client session_id outside 16–32 characters (making its own id).", "CRE-15")]
    CreateIgnoresSessionIdLength,


    // Versioning (VER-01, VER-02).
    [Defect("Requests with MSA-Version: 0.1 are refused with 400 unsupported_version.", "VER-01")]
    SupportedVersionRefused,

    [Defect("Requests naming an unsupported MSA-Version are served as if it were absent.", "VER-02")]
    UnsupportedVersionIgnored,


    // Templates in msa-draft (TPL-10).
    [Defect("msa-draft: completed/partial templates is the EkaScribe list of single-key objects, not a map.", "TPL-10")]
    TemplatesAsList,
    [Defect("Registering a webhook answers 200 instead of 201 (same body).", "WH-REG-01")]
    RegistrationAnswers200,

    [Defect("The webhook endpoints (register, list, delete) accept requests without a credential.", "WH-REG-02")]
    WebhooksAcceptNoCredential,

    [Defect("The webhook listing is always empty.", "WH-REG-06")]
    WebhookListOmitsRegistrations,

    [Defect("The webhook listing shows each registration's secret.", "WH-REG-07")]
    WebhookListShowsSecret,

    [Defect("Deleting a webhook answers 200 with a body instead of 204 (it is still deleted).", "WH-REG-08")]
    WebhookDeleteAnswers200,

    [Defect("Deleting an unknown webhook id answers 204 instead of 404 webhook_not_found.", "WH-REG-09")]
    UnknownWebhookDeleteAnswers204,

    [Defect("No terminal event (completed, partial, failed, expired) is ever delivered.", "WH-DEL-01", "WH-DEL-05", "WH-DEL-06", "WH-DEL-07", "WH-DEL-08", Profiles = new[] { ServerProfile.Ekascribe, ServerProfile.MsaDraft })]
    WebhookNoTerminalEvent,

    [Defect("session.completed is delivered as \"session.complete\".", "WH-DEL-02", "WH-DEL-05", "WH-DEL-10")]
    WebhookWrongEventName,

    [Defect("Webhook payloads carry the session id in upper case.", "WH-DEL-03", "WH-DEL-04", "WH-DEL-01", "WH-DEL-05", "WH-DEL-06", "WH-DEL-07")]
    WebhookWrongSessionId,

    [Defect("The outcome event is delivered at End (before End answers), while the session is still processing.", "WH-DEL-01", "WH-DEL-09")]
    WebhookBeforeStateChange,

    [Defect("Webhook deliveries are sent with Content-Type text/plain (same JSON).", "WH-DEL-12")]
    WebhookTextPlain,

    [Defect("A delivery the receiver refused is not retried.", "WH-DEL-13")]
    WebhookNoRetry,

    [Defect("Deliveries to a registration with a secret carry no signature header.", "WH-SIG-01")]
    WebhookSignatureMissing,

    [Defect("v1 is the HMAC of the raw body alone, without the \"{t}.\" prefix.", "WH-SIG-04")]
    WebhookSignatureWrong,

    [Defect("The signature's t is ten minutes old (v1 matches that t).", "WH-SIG-05")]
    WebhookSignatureStale,

    [Defect("Deliveries to a registration without a secret are signed anyway (with an empty key).", "WH-SIG-07")]
    WebhookSignedWithoutSecret,

    // More discovery, Create, End, communication_protocol and credential defects (DISC, CRE, END, AUTH rows).

    [Defect("Discovery answers after the first are the document wrapped in a JSON array, not an object.", "DISC-01")]
    DiscoveryRepeatedAnswersAsArray,

    [Defect("Discovery's service.name is an empty string.", "DISC-34", Profiles = new[] { ServerProfile.Ekascribe, ServerProfile.MsaDraft })]
    DiscoveryServiceNameEmpty,

    [Defect("Discovery's models list lite only (pro is left out).", "DISC-28")]
    DiscoveryWithoutProModel,

    [Defect("Discovery lists oidc among supported_methods but gives no authentication.oidc block.", "DISC-18")]
    DiscoveryOidcWithoutBlock,

    [Defect("An msa-draft Create naming a model gets the server's default lifetime, not that model's max_session_duration_seconds.", "EXP-02")]
    ModelLifetimeIgnored,

    [Defect("Every 201 after the first hands out the first session's id again.", "CRE-09", "ISO-01", "CRE-14")]
    CreatedSessionIdRepeated,

    [Defect("The 201 answer leaves out the patient_details the Create gave.", "CRE-31")]
    CreatedWithoutPatientDetails,

    [Defect("The 201 answer's upload_url is plain http on a non-loopback host (a stream session's too, so not a WebSocket URL).", "SEC-01", "CRE-07", "GET-FLD-05", "CRE-08", "CRE-32")]
    CreatedUploadUrlPlainHttp,

    [Defect("End's 202 body has an empty message.", "END-05")]
    EndMessageEmpty,

    [Defect("Create accepts a body without communication_protocol.", "CRE-17")]
    CreateAcceptsMissingCommunicationProtocol,

    [Defect("Create accepts a communication_protocol outside websocket, http and rpc.", "CRE-22")]
    CreateAcceptsUnknownCommunicationProtocol,

    [Defect("Create refuses a body without templates (as if templates were required).", "CRE-18", "CRE-39")]
    CreateRequiresTemplates,

    // The shapes real servers showed (issue 10): FaultInjector.RealServerShapes.cs.
    [Defect("A request without a valid credential is answered 403 {\"detail\": \"invalid_token\"} (FastAPI's HTTPBearer) instead of 401 with the envelope.", "AUTH-01", "AUTH-02", "ERR-01", "UPL-17", "WH-REG-02", "TPL-CAT-03")]
    UnauthorizedAs403Detail,

    [Defect("Discovery advertises webhooks_url, but no route answers there (404 not_found, before any credential is read).", "WH-REG-01",
        Profiles = new[] { ServerProfile.MsaDraft })]
    WebhooksAdvertisedWithoutRoute,

    [Defect("Create refuses eka_emr_template, which the catalogue lists, with 400 invalid_template.", "TPL-CAT-04", "CRE-01")]
    CreateRefusesListedTemplate,

    [Defect("The first time a given Create body arrives it is answered 500 internal_error; the same body sent again is served.", "CRE-01")]
    FirstCreateAttemptFails,

    [Defect("The first End of each session is answered 500 internal_error (nothing changes); the same End sent again is served.", "END-01")]
    FirstEndAttemptFails,

    [Defect("A Get Session of an unknown id answers 404 {\"status\": \"failed\", \"detail\": …} instead of the error envelope.", "GET-PAIR-08", "ERR-01", "GET-PAIR-20")]
    NotFoundCarriesStatus,

    [Defect("A Get Session id that is not ses_<alphanumerics> (abc, 200 characters, an encoded '/') crashes the id parser: 500 internal_error.", "GET-PAIR-20")]
    OddSessionIdsCrash,

    [Defect("An unknown route or method is answered with the framework's plain-text 404 page, not the error envelope.", "ERR-01", "ERR-05")]
    UnknownRoutesAnswerFrameworkPage,

    [Defect("Another tenant's valid credential can read, upload to and end this client's sessions.", "ISO-04")]
    SessionsVisibleAcrossTenants,

    [Defect("Listing webhooks shows every client's registrations, not only the caller's.", "ISO-10")]
    WebhookListingAcrossTenants,

    [Defect("Events of a session are delivered to every client's registrations, not only its own client's.", "ISO-10")]
    WebhookEventsAcrossTenants,

    [Defect("No request rate limit: any number of requests a second is served.", "SEC-09")]
    NoRateLimit,

    [Defect("A stream session's upload_url is an http(s) URL, not wss (ws on loopback).", "CRE-32", "CRE-07", "SEC-01")]
    StreamUploadUrlHttp,

    [Defect("Create refuses upload_type stream, which discovery lists (400).", "DISC-39")]
    StreamCreateRefused,

    [Defect("The stream upload_url refuses the WebSocket connection (404).", "UPL-WS-01")]
    StreamRefusesConnection,

    [Defect("With presigned uploads (Variation.PresignedUploads, switched on by this fault), the storage refuses every PUT to the "
        + "upload_url it handed out with 403 SignatureDoesNotMatch, as when the server signs another path than it returns.", "UPL-05")]
    PresignedPutRefused,

    [Defect("An https-only server (WebhookDeliveryOptions.HttpsOnly, switched on by this fault) registers a plain-http url all the same "
        + "(201), though it never delivers there.", "WH-REG-03")]
    WebhookPlainHttpAccepted,

    [Defect("An https-only server (switched on by this fault) registers a plain-http url and delivers every event to it over plain http.",
        "WH-REG-03", "WH-DEL-15")]
    WebhookDeliveredOverHttp,

    [Defect("Binary PCM frames close the stream with 1003.", "UPL-WS-02")]
    StreamRefusesBinaryFrames,

    [Defect("JSON text frames (start, media, stop) close the stream with 1003.", "UPL-WS-03")]
    StreamRefusesJsonFrames,

    [Defect("A start event with a sampleRate other than 16000 closes the stream with 1007.", "UPL-WS-03")]
    StreamRefusesOtherSampleRates,

    [Defect("Closing the stream (or stop) ends the session and starts processing, without End.", "UPL-WS-04")]
    StreamCloseStartsProcessing,

    [Defect("Streamed audio is dropped: End finds no audio and the session fails.", "UPL-WS-05")]
    StreamAudioLost,

    [Defect("A stream session also accepts HTTP chunk uploads.", "UPL-29")]
    StreamSessionAcceptsChunks,

    [Defect("Every transcript is made from the speech of all the sessions the server holds, not only its own.", "ISO-05")]
    TranscriptsMixedAcrossSessions,

    [Defect("https: TLS 1.2 is refused (TLS 1.3 only).", "SEC-03")]
    TlsWithout12,

    [Defect("https: TLS 1.3 is refused (TLS 1.2 only).", "SEC-04")]
    TlsWithout13,

    [Defect("https: TLS 1.0 and 1.1 are accepted besides 1.2 and 1.3 (serving them needs OpenSSL at security level 0: "
        + "./run.sh --self-test runs the tests with tests/Msa.Conformance.Tests/openssl-legacy.cnf).", "SEC-05")]
    TlsAccepts10And11,

    [Defect("https: TLS 1.2 negotiates ECDHE-RSA-AES128-SHA256, a CBC suite spec 12.1 does not list.", "SEC-07")]
    TlsWeakCipher,

    [Defect("https: the certificate expired yesterday.", "SEC-06", "SEC-08")]
    CertificateExpired,

    [Defect("https: the certificate names scribe.example.org, not the host it is served from.", "SEC-06")]
    CertificateForAnotherHost,

    [Defect("https: the certificate is self-signed.", "SEC-06")]
    CertificateSelfSigned,

    [Defect("https: the certificate expires in 10 days.", "SEC-08")]
    CertificateExpiresSoon,

    [Defect("429 answers carry no Retry-After header.", "ERR-11")]
    RateLimitedWithoutRetryAfter,

    [Defect("429 answers use the error code too_many_requests, not rate_limit_exceeded.", "ERR-12")]
    RateLimitedWithOtherCode,

    [Defect("One rate limit is shared by all clients: one client's burst gets another client 429s.", "ISO-11")]
    RateLimitAcrossClients,

    [Defect("The client's second active key is refused with 401 (only the first key works).", "AUTH-12")]
    SecondKeyRefused,

    [Defect("A session created with additional_data null (or none) is accepted, then every Get Session of it answers a plain-text 500 (as a real server was seen doing).", "ADD-13", "ERR-01", "ERR-05")]
    NullAdditionalDataBreaksGet,

    [Defect("Create refuses a body without language_hint (as a real server was seen doing).", "CRE-39")]
    CreateRequiresLanguageHint,

    [Defect("Create refuses a language_hint of more than one code.", "CRE-25")]
    CreateRefusesSeveralLanguageHints,

    [Defect("Create refuses language_hint [\"auto_detect\"].", "CRE-26")]
    CreateRefusesAutoDetect,

    [Defect("Create refuses transcript_language given as a string.", "CRE-27")]
    CreateRefusesTranscriptLanguageString,

    [Defect("Create refuses any session_mode, consultation and dictation included.", "CRE-30")]
    CreateRefusesSessionMode,

    [Defect("Create accepts a session_mode other than consultation and dictation.", "CRE-30")]
    CreateAcceptsUnknownSessionMode,

    [Defect("A connection that once carried a valid credential lets later credential-less requests through.", "AUTH-11")]
    CredentialCarriedOverOnConnection,

    [Defect("End answers 401 to the key sent the profile's way (Bearer in ekascribe, X-API-Key in msa-draft).", "AUTH-05", "AUTH-06")]
    EndRefusesProfileKeyForm,

    [Defect("audio_files (End and Get Session) keeps the uploaded names (audio_0.wav) instead of 0.wav.", "UPL-22")]
    AudioFilesKeepUploadNames,

    [Defect("Get Session's audio_files lists the chunks of every session, not only its own.", "ISO-02", "END-06", "GET-FLD-29", MayAlsoMove = new[] { "GET-FLD-30" }, MayAlsoMoveBecause = "whether End's list and a later GET's differ depends on which other sessions uploaded in between")]
    AudioFilesSharedAcrossSessions,

    [Defect("Discovery's base_url points to a path below the API where no session endpoint exists.", "DISC-14", "DISC-02", "AUTH-10", "END-08", "UPL-13", "VER-02")]
    DiscoveryBaseUrlWithoutSessions,

    [Defect("Upload refusals come as a text/html error page instead of the error envelope.", "UPL-17", "ERR-01", "ERR-05")]
    UploadErrorsAsHtml,

    [Defect("An End arriving within 2 s of the session's accepted End is answered 202 as well.", "ISO-06", "END-09")]
    SimultaneousEndsBothAccepted,

    [Defect("audio_files (End and Get Session) is sorted as text, so 10.wav comes before 9.wav.", "UPL-19")]
    AudioFilesSortedAsText,
    // Values inside Get Session bodies, expired answers, error messages and additional_data (GET-FLD, TPL, ERR, EXP, ADD rows).

    [Defect("The 200 completed body has no status field.", "GET-PAIR-16")]
    StatusMissingWhenCompleted,

    [Defect("completed_at is an hour before created_at.", "GET-FLD-09")]
    CompletedAtBeforeCreatedAt,

    [Defect("model_used names a model discovery does not list ('turbo').", "GET-FLD-10")]
    ModelUsedNotAdvertised,

    [Defect("language_detected is a locale ('en-US'), not a two-letter ISO 639-1 code.", "GET-FLD-12")]
    LanguageDetectedAsLocale,

    [Defect("The 200 completed body's transcript is an empty string.", "GET-FLD-14")]
    CompletedTranscriptEmpty,

    [Defect("audio_files_processed is one more than audio_files_received.", "GET-FLD-17")]
    ProcessedExceedsReceived,

    [Defect("202 bodies leave out patient_details.", "GET-FLD-04")]
    PatientDetailsMissingWhilePending,

    [Defect("The 410 body lists no audio files although chunks were uploaded before expiry.", "GET-FLD-24")]
    ExpiredForgetsUploads,

    [Defect("Completed and partial results carry an entry for a template nobody requested.", "TPL-03", "TPL-FLT-01")]
    UnrequestedTemplateInResult,

    [Defect("A session with a failed (unknown) template is reported 200 completed.", "GET-PAIR-18", "TPL-17", "GET-PAIR-06")]
    PartialReportedCompleted,

    [Defect("A session with an unknown template produces no result for its valid templates either.", "TPL-16")]
    PartialDropsValidTemplates,

    [Defect("Successful template results carry data as a string, not an object.", "TPL-11")]
    TemplateDataAsString,

    [Defect("Create, Upload and End errors carry an empty error.message.", "ERR-03")]
    ErrorMessageEmpty,

    [Defect("GET of an expired session answers 410 with the session_expired error envelope instead of the session body.", "EXP-04")]
    ExpiredAsErrorEnvelope,

    [Defect("Create accepts an additional_data that is not an object (and stores nothing for it).", "ADD-10")]
    CreateAcceptsNonObjectAdditionalData,

    [Defect("session_ended and session_completed refusals are sent with HTTP 409.", "ERR-09", "UPL-15", "UPL-16", "END-09")]
    EndedCodesWith409,

    [Defect("chunk_too_large refusals are sent with HTTP 400.", "ERR-07", "UPL-11")]
    ChunkTooLargeWith400,

    [Defect("While processing, 202 bodies report no audio files (audio_files_received drops to 0).", "POLL-07", "GET-FLD-30")]
    ProcessingForgetsUploads,

    [Defect("GET of an expired session answers 410 with an error envelope whose code is not session_expired.", "EXP-05")]
    ExpiredEnvelopeWrongCode,

    [Defect("A session ended without audio is reported 410 expired instead of 200 failed.", "EXP-10", "EXP-06", "GET-PAIR-04")]
    FailedSessionReportedExpired,

    [Defect("202 bodies carry transcript null instead of a string.", "GET-FLD-03")]
    PendingTranscriptNull,

    [Defect("processing_errors items have no type.", "GET-FLD-18")]
    ProcessingErrorsWithoutType,

    [Defect("A failed template result carries error as a plain string.", "TPL-12")]
    FailedTemplateErrorAsString,

    [Defect("model_used is taken from additional_data.model when the client put one there.", "ADD-07", "GET-FLD-10")]
    AdditionalDataModelUsed,

    // ----- Templates catalogue (GET {base_url}/templates: TPL-CAT rows) -----
    // Switches that break the catalogue endpoint or the ids it lists.
    // Each keeps the Create, Upload, End and Get Session answers conforming.

    [Defect("GET {base}/templates answers 404 with the not_found envelope, as if there were no catalogue.", "TPL-CAT-01")]
    TemplatesCatalogueMissing,

    [Defect("The catalogue's entries carry id and name but no description.", "TPL-CAT-01")]
    TemplatesCatalogueWithoutDescription,

    [Defect("The catalogue answers a request without a credential with 200 and the list.", "TPL-CAT-03")]
    TemplatesCatalogueOpenToAnonymous,

    [Defect("The catalogue also lists retired_template, which Create refuses with 400 invalid_template.", "TPL-CAT-04")]
    TemplatesCatalogueListsRetiredId,

    [Defect("The catalogue lists its first template twice.", "TPL-CAT-04")]
    TemplatesCatalogueDuplicateId,

    // ----- Webhooks: subscriptions, notification content, signature header names -----
    // Switches that break which events are delivered, what a notification carries,
    // or which header carries the signature.

    [Defect("Every event is delivered to every registration, whatever it subscribed to.", "WH-DEL-10")]
    WebhookIgnoresSubscribedEvents,

    [Defect("Outcome notifications also carry a transcript and template results.", "WH-DEL-11")]
    WebhookNotificationCarriesTranscript,

    [Defect("The webhook signature goes in the other profile's header (Eka-Webhook-Signature in msa-draft, X-MSA-Signature in ekascribe).", "WH-SIG-02", "WH-SIG-03")]
    SignatureHeaderOfOtherProfile,

    // ----- Cookies, versions, session ids, uploads, isolation, expiry -----
    // Switches added to cover the remaining MUST rows of requirements.md.
    // Each breaks one requirement and nothing else.

    [Defect("202 bodies lack additional_data.", "GET-FLD-02", "ADD-01")]
    PendingWithoutAdditionalData,

    [Defect("206 processing_errors items are plain strings, not objects.", "GET-FLD-19")]
    ProcessingErrorsAsStrings,

    [Defect("410 bodies carry a non-empty transcript.", "GET-FLD-21")]
    ExpiredCarriesTranscript,

    [Defect("Template results carry a presigned_url on plain http.", "TPL-07")]
    PresignedUrlOverHttp,

    [Defect("A session never ended stays 202 initialized after expires_at instead of expiring.", "GET-PAIR-07", "EXP-03")]
    NeverExpires,

    [Defect("Every third Get Session answer is the previous answer given for another session.", "GET-PAIR-17", "ISO-12", "ISO-02")]
    AnswersCrossBetweenSessions,

    [Defect("The msa-draft server adds the EkaScribe _protocol key to additional_data.", "ADD-02")]
    AdditionalDataGainsProtocolKey,

    [Defect("Server-made session ids look like sess-<hex> instead of ses_<alphanumerics>.", "CRE-13")]
    SessionIdWithoutPrefix,

    [Defect("The msa-draft server accepts a Create body without templates.", "CRE-19")]
    CreateAcceptsMissingTemplates,

    [Defect("Create naming an unknown template id answers 500 internal_error.", "CRE-36")]
    UnknownTemplateCreateAs500,

    [Defect("Create answers set a session cookie without HttpOnly.", "AUTH-17")]
    CreateSetsCookieWithoutHttpOnly,

    [Defect("Discovery lists a deprecated version, sunset in 90 days, that supported_versions no longer holds.", "VER-07")]
    DeprecatedVersionDroppedBeforeSunset,

    [Defect("An upload without Content-Type is refused with 400 invalid_audio_format.", "UPL-06")]
    UploadRequiresContentType,

    [Defect("An upload after processing finished is accepted with 200.", "UPL-16", MayAlsoMove = new[] { "UPL-14" }, MayAlsoMoveBecause = "on a loaded machine the upload sent straight after End can arrive once processing has finished, and accepting it then breaks UPL-14 too")]
    UploadAcceptedAfterCompletion,

    [Defect("An upload after processing finished is refused with session_ended instead of session_completed.", "UPL-16")]
    UploadAfterCompletionSaysSessionEnded,

    [Defect("An upload that starts within 50 ms of the previous upload to the same session is answered 200 but not stored.", "ISO-03")]
    OverlappingUploadsLost,

    [Defect("The msa-draft server sends chunk_too_large with HTTP 413 instead of 400.", "ERR-08")]
    ChunkTooLargeWith413,
}

/// <summary>
/// What a fault does and the catalogue rows it breaks. A fault runs in the profiles of its rows (a row of both: the
/// ekascribe server) unless <see cref="Profiles"/> names them. A fault with no rows is no conformance defect; its
/// <see cref="Purpose"/> says why it exists.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class DefectAttribute(string description, params string[] breaks) : Attribute
{
    public string Description { get; } = description;
    public IReadOnlyList<string> Breaks { get; } = breaks;
    public ServerProfile[]? Profiles { get; set; }
    public string? Purpose { get; set; }

    /// <summary>Rows this defect can also break, depending on timing the test cannot fix (MayAlsoMoveBecause says how); tolerated, never required.</summary>
    public string[] MayAlsoMove { get; set; } = [];

    public string? MayAlsoMoveBecause { get; set; }
}

/// <summary>The fault table read back: descriptions for the command line, rows and profiles for the matrices.</summary>
public static class FaultCatalog
{
    public static IEnumerable<Fault> All => Enum.GetValues<Fault>();

    public static DefectAttribute Of(Fault fault) =>
        typeof(Fault).GetField(fault.ToString())!.GetCustomAttribute<DefectAttribute>()
        ?? throw new InvalidOperationException($"fault {fault} has no [Defect] entry");

    public static string Describe(Fault fault) => Of(fault).Description;

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
