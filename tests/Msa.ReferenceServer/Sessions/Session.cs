using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Sessions;

/// <summary>Where a session is in its lifecycle; <see cref="Unknown"/> is a session id nobody created.</summary>
internal enum SessionPhase { Unknown, Initialized, Processing, Completed, Partial, Failed, Expired }

/// <summary>One generated document: an entry of the <c>templates</c> list.</summary>
internal sealed record TemplateDocument(string TemplateId, string DocumentId, JsonObject Data);

/// <summary>
/// One session. The fields fixed at creation are plain properties; the audio list and the end time change and are
/// guarded by a lock. Readers take a <see cref="Snapshot"/>.
/// </summary>
internal sealed class Session
{
    private readonly Lock gate = new();
    private readonly SortedDictionary<int, string> audio = new();
    /// <summary>What is spoken in each chunk, when the server knows (SpokenText); by sequence, like audio.</summary>
    private readonly SortedDictionary<int, string?> spoken = new();
    private DateTimeOffset? endedAt;
    private decimal? audioFilesSent;
    private IReadOnlyList<TemplateDocument> documents = [];

    public required string Id { get; init; }
    /// <summary>The client (tenant) whose credential created the session; another tenant never sees it.</summary>
    public string Tenant { get; init; } = Http.Credentials.Primary;
    public required string UploadUrl { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required string UploadType { get; init; }
    public required string CommunicationProtocol { get; init; }
    public required string Model { get; init; }
    public required IReadOnlyList<string> RequestedTemplates { get; init; }
    public JsonObject? AdditionalData { get; init; }
    public JsonObject? PatientDetails { get; init; }

    /// <summary>Where a chunked session takes its chunks: {base}/sessions/{id}/audio, to which the client appends /{file_name}.</summary>
    public static string UploadUrlFor(string baseUrl, string id) => $"{baseUrl}/sessions/{Uri.EscapeDataString(id)}/audio";

    public SessionSnapshot Snapshot()
    {
        lock (gate)
            return new SessionSnapshot(this, endedAt, [.. audio.Values], documents, audioFilesSent) { Spoken = [.. spoken.Values] };
    }

    /// <summary>Stores chunk <paramref name="sequence"/> (a re-upload replaces it) unless the session was ended meanwhile.</summary>
    public bool TryAddAudio(int sequence, string storedName, string? spokenText = null)
    {
        lock (gate)
        {
            if (endedAt is not null) return false;
            audio[sequence] = storedName;
            spoken[sequence] = spokenText;
            return true;
        }
    }

    /// <summary>
    /// Commits the session at <paramref name="now"/> and generates its documents from the final audio list; false when
    /// it was already ended. The count the client declared is kept, though this EkaScribe-flavoured server (like Eka's)
    /// does not act on it.
    /// </summary>
    public bool TryEnd(DateTimeOffset now, decimal sent, Func<IReadOnlyList<string>, IReadOnlyList<TemplateDocument>> generate)
    {
        lock (gate)
        {
            if (endedAt is not null) return false;
            endedAt = now;
            audioFilesSent = sent;
            documents = generate([.. audio.Values]);
            return true;
        }
    }
}

/// <summary>A consistent view of a session at one moment. Its JSON objects are shared: clone before embedding them.</summary>
internal sealed record SessionSnapshot(
    Session Session, DateTimeOffset? EndedAt, IReadOnlyList<string> AudioFiles, IReadOnlyList<TemplateDocument> Documents, decimal? AudioFilesSent)
{
    public string Id => Session.Id;
    public bool Ended => EndedAt is not null;
    /// <summary>What is spoken in each stored chunk, in sequence order (null where the server does not know).</summary>
    public IReadOnlyList<string?> Spoken { get; init; } = [];

    /// <summary>The state table of the seed, computed from timestamps alone.</summary>
    public SessionPhase PhaseAt(DateTimeOffset now, TimeSpan processingTime)
    {
        if (EndedAt is not { } ended) return now >= Session.ExpiresAt ? SessionPhase.Expired : SessionPhase.Initialized;
        if (now < ended + processingTime) return SessionPhase.Processing;
        if (AudioFiles.Count == 0) return SessionPhase.Failed;
        return UnknownTemplates.Count > 0 ? SessionPhase.Partial : SessionPhase.Completed;
    }

    public IReadOnlyList<string> UnknownTemplates =>
        Session.RequestedTemplates.Where(t => !CannedResults.IsKnown(t)).Distinct(StringComparer.Ordinal).ToList();
}
