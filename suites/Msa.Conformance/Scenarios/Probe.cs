namespace Msa.Conformance.Scenarios;

/// <summary>The keys under which scenarios keep their single requests in <see cref="ScenarioRun.Probes"/>; the checks read them by these names.</summary>
public static class Probe
{
    public const string Discovery = "discovery";

    // UploadVariants
    public const string Multipart = "multipart upload";
    public const string UnsupportedType = "unsupported type";
    public const string Oversize = "oversize chunk";
    public const string UnknownIdUpload = "upload to an unknown id";
    public const string UnknownIdEnd = "end of an unknown id";
    public static string Format(string mimeType) => $"format {mimeType}";
    public static string FormatCreate(string mimeType) => $"create for {mimeType}";
    public const string NoContentType = "upload without Content-Type";

    // Burst (only with --burst N)
    public const string FirstRateLimited = "the first 429 of the burst";
    public const string OtherTenantDuringBurst = "another tenant's key, right after the first 429";
    public static string BurstGet(int n, int of) => $"burst: GET {n} of {of}";

    // StreamBinary
    public const string ChunkToStreamSession = "HTTP chunk upload to a stream session";

    // Completed
    public const string UploadAfterCompletion = "upload after completion";


    // OutOfOrder
    public const string UploadAfterEnd = "upload after end";
    public const string SecondEnd = "second end";

    // Unauthenticated scenario, with the optional credentials (AUTH-12, ISO-04). Reads of the run's session start with "get".
    public const string SecondKeyRead = "get with the second key";
    public const string SecondKeyCreate = "create with the second key";
    public const string FirstKeyReadsSecondKeySession = "read with the first key a session the second key created";
    public const string OwnerBeforeOtherTenant = "get before another tenant's requests";
    public const string OwnerAfterOtherTenant = "get after another tenant's requests";
    public static string OtherTenant(string endpoint) => $"another tenant's key: {endpoint}";
    /// <summary>A second End of the session ended without audio (the Failed scenario): reachable even where uploads fail.</summary>
    public const string SecondEndWithoutAudio = "second end of a session ended without audio";
    public const string GetAfterEnd = "get after end";

    // Expired
    public const string UploadAfterExpiry = "upload after expiry";
    public const string EndAfterExpiry = "end after expiry";
    public const string GetAfterExpiredEnd = "get after the end attempt";

    // Unauthenticated
    /// <summary>The endpoints that need a credential, in the order the scenario probes them.</summary>
    public static readonly string[] AuthenticatedEndpoints = ["create", "upload", "end", "get"];
    public static string NoCredential(string endpoint) => $"{endpoint} without credential";
    public static string WrongCredential(string endpoint) => $"{endpoint} with wrong credential";
    public static string UnknownIdNoCredential(string endpoint) => $"{endpoint} of an unknown id without credential";

    /// <summary>A Content-Type no server supports (UPL-08).</summary>
    public const string UnsupportedAudioType = "audio/x-msa-unsupported";

    /// <summary>The chunk size limit of the ekascribe profile (eka upload-audio: 10 MB); the msa-draft text gives none.</summary>
    public const long EkascribeChunkLimitBytes = 10 * 1024 * 1024;
}
