using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Http;

namespace Msa.Conformance.Scenarios;

/// <summary>The request sequences that drive a server into each state it can reach.</summary>
public enum Scenario
{
    /// <summary>Create with two known templates, upload speech, End, poll to 200 completed; then filtered GETs.</summary>
    Completed,
    /// <summary>Create with one known and one unknown template, upload speech, End, poll to 206 partial.</summary>
    Partial,
    /// <summary>Create, End with no audio, poll to 200 failed.</summary>
    Failed,
    /// <summary>ekascribe: Create without templates (CRE-18), upload speech, End, poll to 200 completed: the completed field set even where templates cannot be generated.</summary>
    CompletedWithoutTemplates,
    /// <summary>ISO-05: three sessions processed side by side, each given one different speech chunk (audio_0, audio_1, audio_2) as its audio_0.</summary>
    SideBySide0,
    SideBySide1,
    SideBySide2,
    /// <summary>Create, upload one chunk, never End, wait past expires_at (only within the wait budget), GET: 410.</summary>
    Expired,
    /// <summary>GET of a session id that was never created: 404.</summary>
    UnknownSession,
    /// <summary>Create, Upload, End and GET with no credential and with a wrong one (401); GET, End, Upload of an unknown id without one.</summary>
    Unauthenticated,
    /// <summary>The discovery answer the run started from, plus unauthenticated GETs at both discovery locations.</summary>
    Discovery,
    /// <summary>Create (with a client-chosen session_id in ekascribe) and GET it; Create per advertised upload method; the bad bodies.</summary>
    CreateSession,
    /// <summary>Create and GET without MSA-Version and with MSA-Version: 0.1; Create with an unsupported MSA-Version.</summary>
    Versioning,
    /// <summary>Create, upload chunks 2, 0, 1, GET, End, upload once more, End again, GET.</summary>
    OutOfOrder,
    /// <summary>Multipart, unsupported type, oversize, one session per advertised format; Upload and End of an unknown id.</summary>
    UploadVariants,
    /// <summary>Create, upload one chunk, End declaring two, poll to the terminal state.</summary>
    EndMismatch,
    /// <summary>Create, upload six chunks at once, End declaring six (ISO-03).</summary>
    ParallelUploads,
    /// <summary>GET the templates catalogue with and without a credential; one Create per two listed ids.</summary>
    TemplatesCatalogue,
    /// <summary>Register the harness's receiver at webhooks_url, drive sessions to each outcome, record deliveries, delete the registrations.</summary>
    Webhooks,
    /// <summary>
    /// Only with --burst N, once every other scenario has finished: N GETs of the completed session, 8 at a time; after
    /// the first 429, one GET of the same URL with another tenant's key (ISO-11); then Retry-After is waited out.
    /// </summary>
    Burst,
    /// <summary>ekascribe, where discovery lists stream: a stream session given audio_0's speech as binary PCM frames at 16 kHz.</summary>
    StreamBinary,
    /// <summary>The same as JSON start / media / stop frames, 16 kHz (no sampleRate: the default).</summary>
    StreamJson,
    /// <summary>The same as JSON frames at 8 kHz, start.mediaFormat.sampleRate 8000.</summary>
    StreamJson8k,
    /// <summary>One TLS handshake per version with the API host, certificate examined (https API bases only).</summary>
    Transport,
    /// <summary>Not a request sequence: every response seen in every session scenario of the run (ScenarioSet.ReadByAll).</summary>
    All,
}

/// <summary>An evidence file: its name in the report, media type and content (redacted when written).</summary>
public sealed record RunAttachment(string Name, string MediaType, string Content);

/// <summary>One point of a polling timeline: when, what code, what body status.</summary>
public sealed record TimelinePoint(double SecondsSinceEnd, int Status, string? BodyStatus, string? Note);

/// <summary>Everything one scenario observed. Filled by the driver; read by the checks.</summary>
public sealed class ScenarioRun(Scenario scenario)
{
    private readonly Lock _lock = new();
    private readonly List<Exchange> _exchanges = [];

    public Scenario Scenario { get; } = scenario;
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? FinishedAt { get; set; }

    public IReadOnlyList<Exchange> Exchanges { get { lock (_lock) return _exchanges.ToList(); } }
    /// <summary>Every GET of this run's session, less answers that were another session's (which only GET-PAIR-17 and ISO-12 read, from Exchanges).</summary>
    public IEnumerable<Exchange> SessionGets => Exchanges.Where(x => x.Step.StartsWith("get", StringComparison.Ordinal) && !x.AnswersAnotherSession);

    public JsonObject? CreateRequest { get; set; }
    public Exchange? Create { get; set; }
    public string? SessionId { get; set; }
    public string? UploadUrl { get; set; }
    public string? CreatedAt { get; set; }
    public string? ExpiresAt { get; set; }
    public string[] RequestedTemplates { get; set; } = [];
    public List<Exchange> Uploads { get; } = [];
    /// <summary>GETs made before End: [0] right after Create, [1] after the uploads.</summary>
    public List<Exchange> BeforeEnd { get; } = [];
    public Exchange? End { get; set; }
    /// <summary>Every GET from End until the first terminal answer, in order (the polling).</summary>
    public List<Exchange> Polls { get; } = [];
    public List<TimelinePoint> Timeline { get; } = [];
    /// <summary>The fixture keywords (AudioFixtures.SpokenKeywords) the terminal transcript holds: kept as words, so ISO-05 is judged again from a masked observations file.</summary>
    public List<string> KeywordsHeard { get; } = [];
    /// <summary>What a stream scenario's upload did (null in the others).</summary>
    public StreamObservation? Stream { get; set; }
    /// <summary>The transport scenario's handshakes (empty in the others).</summary>
    public List<TlsHandshake> Tls { get; } = [];
    /// <summary>The first answer after End (or after expiry) that was not 202.</summary>
    public Exchange? Terminal { get; set; }
    /// <summary>GETs repeated after the terminal answer, to prove it is stable.</summary>
    public List<Exchange> AfterTerminal { get; } = [];
    /// <summary>GET ?template_id=X of the terminal session, per requested template id.</summary>
    public Dictionary<string, Exchange> Filtered { get; } = [];
    /// <summary>Other named single requests (404 probe, 401 probes).</summary>
    public Dictionary<string, Exchange> Probes { get; } = [];

    /// <summary>What the webhook scenario observed (registrations, deliveries, the sessions it drove); null in the others.</summary>
    public Webhooks.WebhookObservations? Webhooks { get; set; }
    /// <summary>Extra evidence files shown with every check that reads only this scenario.</summary>
    public List<RunAttachment> Attachments { get; } = [];

    /// <summary>Why the scenario stopped before its goal, when it did; checks needing the rest become non-verdicts.</summary>
    public (Verdict Verdict, string Reason)? Stopped { get; private set; }

    /// <summary>When the last GET of this session was sent (the driver paces GETs at the polling interval).</summary>
    public DateTimeOffset? LastGetAt { get; set; }

    public Exchange Record(Exchange x) { lock (_lock) _exchanges.Add(x); return x; }

    public void Stop(Verdict verdict, string reason) => Stopped ??= (verdict, reason);

    /// <summary>
    /// Set when the session this run's Create named turned out to be another Create's (its answers carry that Create's
    /// additional_data marker: the id was handed out twice, CRE-09's finding). Nothing the run saw of "its" session is
    /// about it, so no check of this run reaches a verdict, and its GETs count as another session's.
    /// </summary>
    public string? NotItsOwnSession { get; set; }

    /// <summary>The terminal answer, or a NotReached that says why there is none.</summary>
    public Exchange RequireTerminal() => Terminal ?? throw Unreached("no terminal state was observed");

    /// <summary>The value a check needs, or a NotReached that says what was never observed.</summary>
    public T Need<T>(T? value, string what) where T : class => value ?? throw Unreached(what);

    public NotReached Unreached(string what) => NotItsOwnSession is { } foreign
        ? new NotReached(Verdict.Inconclusive, $"{Scenario} scenario: {foreign}")
        : Stopped is { } s
        ? new NotReached(s.Verdict, $"{Scenario} scenario: {s.Reason}")
        : new NotReached(Verdict.Inconclusive, $"{Scenario} scenario: {what}");
}

/// <summary>What a check reads: its own scenario's run, and every run of the target.</summary>
public sealed class Observations(ScenarioRun? run, IReadOnlyList<ScenarioRun> all, HarnessOptions options)
{
    public ScenarioRun Run => run ?? throw new InvalidOperationException("this check reads every scenario, not one");
    public IReadOnlyList<ScenarioRun> All { get; } = all;
    public HarnessOptions Options { get; } = options;
    /// <summary>The discovery document the run started from (null in unit tests that build observations by hand).</summary>
    public JsonObject? Discovery { get; init; }
    /// <summary>What discovery advertises, for deciding whether a feature's check applies.</summary>
    public Capabilities Capabilities => Capabilities.From(Discovery);
    public IEnumerable<Exchange> AllSessionGets => OwnSessionGets.Select(p => p.X);

    /// <summary>Every GET of every run's session, with its run, less the answers that were another session's.</summary>
    public IEnumerable<(ScenarioRun Run, Exchange X)> OwnSessionGets
    {
        get
        {
            var known = KnownSessionIds;
            return All.Where(r => r.NotItsOwnSession is null).SelectMany(r => r.SessionGets.Where(x => !Checks.Rules.Crossed(known.Contains, r, x)).Select(x => (r, x)));
        }
    }

    /// <summary>Every session_id an accepted Create of this run handed out.</summary>
    public IReadOnlySet<string> KnownSessionIds => _known ??= All.Concat(All.SelectMany(r => r.Webhooks?.Sessions ?? [])).SelectMany(r => r.Exchanges)
        .Where(Checks.Rules.IsAcceptedCreate)
        .Select(x => Checks.Rules.Text(x, "session_id")).OfType<string>().ToHashSet();

    private IReadOnlySet<string>? _known;
}
