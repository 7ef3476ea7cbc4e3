using System.Reflection;

namespace Msa.ReferenceServer;

/// <summary>
/// The table of variations: behaviours a conforming server may legitimately show that the clean reference server does
/// not. Unlike a <see cref="Fault"/>, a variation breaks no catalogue row: against any of them every check must keep the
/// verdict it has against the clean server (tests/Msa.Conformance.Tests/VariationTests.cs says which differences each
/// one is allowed). Each member declares, once, what it does and why the protocol allows it, citing the seed
/// (../shared/protocol/seed-ekascribe-get-session.md) and the requirement catalogue
/// (../shared/protocol/requirements.md). All the logic is in <see cref="Http.VariationInjector"/>.
/// </summary>
public enum Variation
{
    [Allowed("Every field the source of the profile lets be null is null where it may be: in ekascribe completed_at, model_used "
        + "and language_detected are null in 200 completed / 206 partial / 200 failed bodies, transcript is null in 202 and 206 "
        + "bodies, and 202 bodies carry completed_at, model_used and language_detected as null before completion; in msa-draft, "
        + "whose schemas are stricter, only 206's completed_at and the extra 202 completed_at are null. patient_details stays null "
        + "for sessions created without it (it must echo the object given at creation), and in ekascribe Create's 201 for such a "
        + "session carries patient_details: null.",
        "seed OpenAPI: completed_at, model_used, language_detected, transcript, patient_details are `nullable: true`; "
        + "requirements.md GET-FLD-02 (202 transcript may be null), GET-FLD-06 (those four may be null), GET-FLD-04, CF-34, CF-36, CF-37; "
        + "GET-FLD-14 keeps the completed transcript non-empty and CF-34 makes a null in an msa-draft completed body a warning, so those stay.")]
    NullableFieldsNull,

    [Allowed("A template entry whose status is failed carries \"data\": null. In msa-draft that is the map entry of the partial "
        + "scenario's unknown template; in ekascribe the server also lists the unknown template as a failed entry of the templates "
        + "list ({\"<id>\": {status: failed, data: null, document_id, document_type, publish: {}}}) besides processing_errors.",
        "seed: 206 = \"finished, but some templates failed\" and each entry carries status and data (data's type is left open); "
        + "requirements.md TPL-11 constrains data only for status success, TPL-12 asks a failed msa-draft entry for an error object, "
        + "TPL-15 lets a failed template be accounted for by an entry, CF-32.")]
    FailedTemplateDataNull,

    [Allowed("Timestamps are written with a numeric offset and nine fractional digits (as Go's RFC3339Nano) instead of Z and "
        + "milliseconds, naming the same instant, and not in the same spelling everywhere: Get Session writes created_at and completed_at "
        + "at +05:30 and expires_at and expired_at at -03:00, while Create, End, the webhook answers and the notifications write +00:00 "
        + "(so a client must compare instants, not strings).",
        "seed: every timestamp is `format: date-time` (RFC 3339 §5.6: time-offset is Z or ±hh:mm, time-secfrac any number of digits); "
        + "requirements.md CRE-04, GET-FLD-09, GET-FLD-32 ask only for an RFC 3339 date-time with a zone offset; GET-FLD-27 and GET-FLD-28 compare values, which are instants.")]
    OffsetTimestamps,

    [Allowed("Every JSON answer says `Content-Type: Application/JSON; Charset=\"UTF-8\"`: media type and parameter names in mixed "
        + "case, the charset value quoted and upper case. (The clean server already sends `application/json; charset=utf-8`, so "
        + "this variation tries the spelling a naive string comparison would miss.)",
        "requirements.md DISC-05 (\"a charset parameter is allowed\"), CRE-37, GET-PAIR-21, ERR-05 ask for application/json; "
        + "RFC 9110 §8.3.1: type, subtype and parameter names are case-insensitive, a quoted-string value equals its token form, "
        + "and charset values are case-insensitive.")]
    CharsetInContentType,

    [Allowed("Answers are gzip-compressed (Content-Encoding: gzip, Vary: Accept-Encoding) whenever the request's Accept-Encoding "
        + "offers gzip; a request that does not offer it gets the plain body.",
        "Content coding is HTTP transport (RFC 9110 §8.4, §12.5.3); neither the seed nor requirements.md constrains it. The harness "
        + "client (SocketsHttpHandler with AutomaticDecompression = All) offers gzip on every request, so the compressed path is the one tested.")]
    Gzip,

    [Allowed("Answers with a body are sent with Transfer-Encoding: chunked and no Content-Length, in several chunks.",
        "Message framing is HTTP/1.1 transport (RFC 9112 §6.1, §7.1); neither the seed nor requirements.md constrains it.")]
    ChunkedTransfer,

    [Allowed("Extra vendor members: \"x_vendor_trace\" at the top level of every JSON body (session bodies, Create/End/Upload answers, "
        + "discovery, catalogue, webhook answers and notifications), in discovery's sections and models (endpoints gets an extra "
        + "https URL, x_vendor_status_url), in each catalogue entry, listed webhook and processing_errors item; \"x_vendor_rank\" "
        + "inside every template entry's object (never beside the template id key of an ekascribe list element, which must stay "
        + "single-key); and \"x_vendor_hint\" inside every error object.",
        "seed OpenAPI: the session objects list properties without `additionalProperties: false`, template entries and additional_data "
        + "are `additionalProperties: true`; requirements.md CF-38 (\"extra fields allowed, never required; no unknown field failures\"), "
        + "CF-64 (\"extra members never fail ERR-01\"); TPL-02 keeps the list element itself single-key, so nothing is added there.")]
    VendorExtraFields,

    [Allowed("Discovery advertises no webhook support: capabilities.webhook_delivery is false and endpoints.webhooks_url is absent "
        + "(the endpoints still answer, unadvertised). Webhook checks become not applicable; WH-REG-13 (SHOULD offer webhooks) may warn.",
        "seed: webhooks are an alternative to polling (\"Prefer not to poll? Register a webhook\"), polling alone must suffice (POLL-09); "
        + "requirements.md DISC-15 and WH-* apply only when webhook_delivery is true; WH-REG-13 is a SHOULD.")]
    NoWebhooksAdvertised,

    [Allowed("Create refuses a body naming a template id the server does not know with 400 and error.code invalid_template, so the "
        + "partial scenario (S-BADTPL) cannot run and its rows become not applicable or inconclusive.",
        "requirements.md CRE-36 (an unknown template id either fails with 4xx — under msa-draft 400 invalid_template — or succeeds and is "
        + "later reported failed), CF-31 (\"accept either 4xx at Create (then the partial scenario is SKIP)\"); eka create-session: 400 "
        + "when template validation fails.")]
    UnknownTemplateRefusedAtCreate,

    [Allowed("Every generated document appears twice in the templates list: each element is followed by a second element for the same "
        + "template id (a second document, its document_id suffixed \"_2\"), in unfiltered and filtered answers alike.",
        "seed OpenAPI, templates: \"one entry per generated document ... A template that produces multiple documents appears multiple "
        + "times, so this is a list rather than a map\"; requirements.md TPL-04 (repetition is not an error), TPL-FLT-02.",
        Profiles = [ServerProfile.Ekascribe])]
    RepeatedTemplateIds,

    [Allowed("Audio goes to cloud storage: every chunked session's upload_url is a presigned S3-style URL on the server's host, "
        + "outside the API ({host}/storage/msa-uploads/{id}/?X-Amz-Algorithm=…&X-Amz-Signature=…); chunks are PUT to "
        + "{that path}/{file_name} with the same query and no API credential, answered 200 with an ETag and no body, refusals in S3's XML "
        + "(the URL is revoked at End). Checks of what the API's own upload endpoint answers become not applicable; UPL-05 is judged.",
        "requirements.md UPL-05 (presigned PUT, msa-draft), UPL-17 (\"not by third-party storage behind a presigned URL\"), CF-07 "
        + "(Option 3: presigned PUT), CF-17; spec 7.3 lists S3/GCS/Azure presigned upload_urls, spec 7.8 leaves their errors to the provider.",
        Profiles = [ServerProfile.MsaDraft])]
    PresignedUploads,
}

/// <summary>What a <see cref="Variation"/> does, why the protocol allows it, and (when not both) the profiles it is meaningful in.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class AllowedAttribute(string description, string allowedBy) : Attribute
{
    public string Description { get; } = description;
    public string AllowedBy { get; } = allowedBy;
    public ServerProfile[]? Profiles { get; set; }
}

/// <summary>The variation table read back, for the tests and the command line.</summary>
public static class VariationCatalog
{
    public static IEnumerable<Variation> All => Enum.GetValues<Variation>();

    public static AllowedAttribute Of(Variation variation) =>
        typeof(Variation).GetField(variation.ToString())!.GetCustomAttribute<AllowedAttribute>()
        ?? throw new InvalidOperationException($"variation {variation} has no [Allowed] entry");

    /// <summary>The server profiles a variation is run in: its declared ones, else both.</summary>
    public static IReadOnlyList<ServerProfile> ProfilesOf(Variation variation) =>
        Of(variation).Profiles is { Length: > 0 } declared ? declared : Enum.GetValues<ServerProfile>();
}
