using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Http;
using RestSharp;

namespace Msa.Conformance.Scenarios;

/// <summary>
/// Drives a server through each scenario. A step that goes wrong in a way the scenario cannot get past (Create
/// refused, upload refused, network error) stops the scenario with a reason; it is never a verdict by itself:
/// the checks of the area that owns that step give the verdict.
/// </summary>
public sealed partial class ScenarioDriver(Target target)
{
    private HarnessOptions Options => target.Options;
    private MsaClient Client => target.Client;

    /// <summary>Reported so the console shows where a slow server spends its time.</summary>
    public Action<string>? Progress { get; set; }

    public Task<ScenarioRun> RunAsync(Scenario scenario, CancellationToken ct = default) => RunAsync(new ScenarioRun(scenario), ct);

    /// <summary>Runs the sequence of `run.Scenario` into a run the caller holds, so it can follow the session while it runs.</summary>
    public Task<ScenarioRun> RunAsync(ScenarioRun run, CancellationToken ct = default) => run.Scenario switch
    {
        Scenario.Completed => ProcessedAsync(run, Options.Templates.Take(2).ToArray(), withAudio: true, ct),
        Scenario.Partial => ProcessedAsync(run, [Options.Templates[0], Options.UnknownTemplate], withAudio: true, ct),
        Scenario.Failed => ProcessedAsync(run, Options.Templates.Take(1).ToArray(), withAudio: false, ct),
        Scenario.CompletedWithoutTemplates => WithoutTemplatesAsync(run, ct),
        Scenario.SideBySide0 or Scenario.SideBySide1 or Scenario.SideBySide2 => ProcessedAsync(run, Options.Templates.Take(1).ToArray(), withAudio: true, ct,
            audio: [AudioFixtures.Chunks()[run.Scenario - Scenario.SideBySide0].Renamed(0)]),
        Scenario.Expired => ExpiredAsync(run, ct),
        Scenario.UnknownSession => UnknownSessionAsync(run, ct),
        Scenario.Unauthenticated => UnauthenticatedAsync(run, ct),
        Scenario.Discovery => DiscoveryAsync(run, ct),
        Scenario.CreateSession => CreateSessionAsync(run, ct),
        Scenario.Versioning => VersioningAsync(run, ct),
        Scenario.OutOfOrder => OutOfOrderAsync(run, ct),
        Scenario.UploadVariants => UploadVariantsAsync(run, ct),
        Scenario.EndMismatch => EndMismatchAsync(run, ct),
        Scenario.ParallelUploads => ParallelUploadsAsync(run, ct),
        Scenario.TemplatesCatalogue => TemplatesCatalogueAsync(run, ct),
        Scenario.Webhooks => new WebhookSequence(target, Progress).RunAsync(run, ct),
        Scenario.Burst => BurstAsync(run, ct),
        Scenario.Transport => TransportAsync(run, ct),
        Scenario.StreamBinary or Scenario.StreamJson or Scenario.StreamJson8k => StreamAsync(run, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(run), run.Scenario, "not a request sequence"),
    };

    /// <summary>Only ekascribe lets a Create leave templates out (CRE-18; the msa schema requires them, CF-12).</summary>
    private Task<ScenarioRun> WithoutTemplatesAsync(ScenarioRun run, CancellationToken ct)
    {
        if (Options.ProtocolProfile == ProtocolProfile.Ekascribe)
            return ProcessedAsync(run, [], withAudio: true, ct, body => body.Remove("templates"));
        run.Stop(Verdict.NotApplicable, "msa-draft requires templates at Create (CF-12), so there is no session without them");
        run.FinishedAt = DateTimeOffset.UtcNow;
        return Task.FromResult(run);
    }

    private async Task<ScenarioRun> ProcessedAsync(ScenarioRun run, string[] templates, bool withAudio, CancellationToken ct,
        Action<JsonObject>? adjustCreate = null, IReadOnlyList<AudioChunk>? audio = null)
    {
        try
        {
            if (!await CreateAsync(run, templates, ct, adjustCreate)) return run;
            run.BeforeEnd.Add(await GetAsync(run, "get before upload", ct: ct));
            var chunks = withAudio ? audio ?? AudioFixtures.Chunks() : [];
            foreach (var chunk in chunks)
                if (!await UploadAsync(run, chunk, ct)) return run;
            if (withAudio) run.BeforeEnd.Add(await GetAsync(run, "get after upload", ct: ct));

            var end = run.End = await SetUpEndAsync(run, chunks.Count, ct);
            if (!end.Accepted)
            {
                run.Stop(Verdict.Inconclusive, $"End Session answered {Describe(end)}, not 202, so processing could not be observed (see END-01).");
                return run;
            }
            await PollUntilTerminalAsync(run, ct);
            if (run.Terminal is null) return run;
            run.KeywordsHeard.AddRange(AudioFixtures.KeywordsIn(run.Terminal.Text("transcript")));
            for (var i = 0; i < Options.Polling.StabilityGets; i++)
                run.AfterTerminal.Add(await GetAsync(run, "get after terminal", ct: ct));
            if (run.Terminal.Status is 200 or 206)
                foreach (var id in templates.Distinct())
                    run.Filtered[id] = await GetAsync(run, $"get ?template_id={id}", query: $"?template_id={Uri.EscapeDataString(id)}", ct: ct);
            if (run.Scenario == Scenario.Failed)
                run.Probes[Probe.SecondEndWithoutAudio] = await PostEndAsync(run, Probe.SecondEndWithoutAudio, run.SessionId!, 0, ct: ct);
            // Last, so nothing above reads a session the probe may have changed (UPL-16, EkaScribe's session_completed).
            if (run.Scenario == Scenario.Completed && Options.Profile == "ekascribe" && chunks.Count > 0)
            {
                var late = chunks[0].Renamed(chunks.Count);
                run.Probes[Probe.UploadAfterCompletion] = await PostChunkAsync(run, $"upload {late.FileName} after processing finished", run.UploadUrl!, late, ct: ct);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { run.Stop(Verdict.Inconclusive, "a request was cancelled"); }
        finally { run.FinishedAt = DateTimeOffset.UtcNow; }
        return run;
    }

    private async Task<ScenarioRun> ExpiredAsync(ScenarioRun run, CancellationToken ct)
    {
        try
        {
            if (Options.ExpiredSessionId.Length > 0) return await GivenExpiredAsync(run, ct);
            if (!await CreateAsync(run, Options.Templates.Take(1).ToArray(), ct)) return run;
            var first = AudioFixtures.Chunks().Take(1).ToList();
            foreach (var chunk in first)
                if (!await UploadAsync(run, chunk, ct)) return run;
            run.BeforeEnd.Add(await GetAsync(run, "get before expiry", ct: ct));
            if (!DateTimeOffset.TryParse(run.ExpiresAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiresAt))
            {
                run.Stop(Verdict.Inconclusive, $"Create gave no readable expires_at ('{run.ExpiresAt}'), so the wait for expiry cannot be planned (see CRE-02, CRE-04).");
                return run;
            }
            if (ServerClock.Parse(run.CreatedAt) is { } createdAt && expiresAt <= createdAt)
            {
                run.Stop(Verdict.Inconclusive, $"Create's expires_at ({run.ExpiresAt}) is not after its created_at ({run.CreatedAt}), so when the session expires is unknown (see CRE-04).");
                return run;
            }
            var wait = UntilExpired(run, expiresAt);
            if (wait > TimeSpan.FromSeconds(Options.Polling.DeadlineSeconds))
            {
                run.Stop(Verdict.Inconclusive, $"expires_at is {wait.TotalSeconds:0} s away, beyond the wait budget of "
                    + $"{Options.Polling.DeadlineSeconds} s (--poll-deadline); expiry would need that long to observe.");
                return run;
            }
            Progress?.Invoke($"Expired: waiting {Math.Max(0, wait.TotalSeconds):0.0} s for expires_at");
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            var answer = run.Terminal = await GetAsync(run, "get after expires_at", ct: ct);
            run.Timeline.Add(new(0, answer.Status, answer.BodyStatus, "after expires_at"));
            await AfterExpiryAsync(run, ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { run.Stop(Verdict.Inconclusive, "a request was cancelled"); }
        finally { run.FinishedAt = DateTimeOffset.UtcNow; }
        return run;
    }

    private async Task<ScenarioRun> UnknownSessionAsync(ScenarioRun run, CancellationToken ct)
    {
        var id = UnknownSessionId();
        run.SessionId = id;
        run.Probes["unknown"] = run.Terminal = run.Record(await Client.SendAsync("get unknown id", Method.Get, target.SessionUrl(id), ct: ct));
        // Odd-looking ids, as written (the encoded '/' stays encoded): GET, End and Upload of each.
        var wav = AudioFixtures.Chunks()[0];
        foreach (var (kind, odd) in ProbeNames.OddIds)
        {
            var url = $"{target.SessionsUrl}/{(kind == "encoded-slash" ? odd : Uri.EscapeDataString(odd))}";
            run.Probes[ProbeNames.OddIdRequest(kind, "get")] = run.Record(await Client.SendAsync(ProbeNames.OddIdRequest(kind, "get"), Method.Get, url, ct: ct));
            run.Probes[ProbeNames.OddIdRequest(kind, "end")] = run.Record(await Client.SendAsync(ProbeNames.OddIdRequest(kind, "end"), Method.Post, url + "/end",
                new { audio_files_sent = 0 }, ct: ct));
            run.Probes[ProbeNames.OddIdRequest(kind, "upload")] = run.Record(await Client.SendAsync(ProbeNames.OddIdRequest(kind, "upload"), Method.Post,
                $"{url}/audio/{wav.FileName}", raw: wav.Bytes, rawContentType: wav.ContentType, ct: ct));
        }
        // A route the API does not have, and a method a route does not take: ERR-01 wants the envelope there too.
        run.Probes[ProbeNames.UnknownRoute] = run.Record(await Client.SendAsync(ProbeNames.UnknownRoute, Method.Get, $"{target.BaseUrl}/msa-conformance-no-such-route", ct: ct));
        run.Probes[ProbeNames.WrongMethod] = run.Record(await Client.SendAsync(ProbeNames.WrongMethod, Method.Delete, target.SessionsUrl, ct: ct));
        run.FinishedAt = DateTimeOffset.UtcNow;
        return run;
    }

    /// <summary>
    /// The Create body every scenario starts from: what the server must accept, plus the optional fields real servers
    /// expect (one supported language_hint); other optional fields have probes of their own, so a refusal is about what a
    /// scenario changes, never a set-up step that sinks the run.
    /// </summary>
    private JsonObject CreateBody(Scenario scenario, string[] templates)
    {
        var body = new JsonObject
        {
            ["upload_type"] = "chunked",
            ["communication_protocol"] = "http",
            ["templates"] = new JsonArray(templates.Select(t => (JsonNode)t).ToArray()),
            // Optional, but a real server was seen refusing Creates without it (CRE-39 reports that): one code it lists.
            ["language_hint"] = new JsonArray(Capabilities.From(target.Discovery).LanguagesOrEnglish.First()),
            ["additional_data"] = AdditionalDataFixture.For(scenario),
        };
        if (Options.Profile == "ekascribe") body["patient_details"] = new JsonObject { ["oid"] = "CONFORMANCE-TEST-0001", ["age"] = 42 };
        if (Options.Model.Length > 0) body["model"] = Options.Model;
        return body;
    }

    /// <summary>Creates the run's session from <see cref="CreateBody"/> (changed by `adjust`, if given); false when refused.</summary>
    private async Task<bool> CreateAsync(ScenarioRun run, string[] templates, CancellationToken ct, Action<JsonObject>? adjust = null)
    {
        var body = CreateBody(run.Scenario, templates);
        adjust?.Invoke(body);
        run.CreateRequest = body;
        run.RequestedTemplates = templates;
        var x = run.Create = await SendWithRetriesAsync(run, "create", Method.Post, target.SessionsUrl, body, ct: ct);
        var o = x.JsonObject;
        if (!x.Accepted || o is null || o["session_id"] is not JsonValue)
        {
            var refusedUnknownTemplate = run.Scenario == Scenario.Partial && x.Status is >= 400 and < 500;
            run.Stop(refusedUnknownTemplate ? Verdict.NotApplicable : Verdict.Inconclusive, refusedUnknownTemplate
                ? $"Create Session refused the unknown template id '{Options.UnknownTemplate}' ({Describe(x)}); a server may do so, and then it has no partial state to show."
                : $"Create Session answered {Describe(x)}, not 201 with a session_id, so this scenario could not start (see CRE-01, CRE-02).");
            return false;
        }
        // Two scenarios sharing one session would judge each other's uploads and states: stop, as CRE-09 reports the repeat.
        if (RepeatedSessionId(x, $"the {run.Scenario} scenario's create") is { } owner)
        {
            run.Stop(Verdict.Inconclusive, $"Create Session handed out session_id '{x.Text("session_id")}', which {owner} already got, "
                + "so this scenario has no session of its own (see CRE-09).");
            return false;
        }
        run.SessionId = o["session_id"]!.ToString();
        run.UploadUrl = (o["upload_url"] as JsonValue)?.ToString();
        // EkaScribe fixes the endpoint (CRE-08): when upload_url is not it, audio still goes to the endpoint, so only
        // CRE-06 / CRE-08 report the deviation and the scenarios that need audio still run.
        var endpoint = target.SessionUrl(run.SessionId) + "/audio";
        if (Options.ProtocolProfile == ProtocolProfile.Ekascribe && !SameUrlIgnoringScheme(run.UploadUrl, endpoint))
        {
            Progress?.Invoke($"{run.Scenario}: upload_url '{run.UploadUrl}' is not the Upload Audio endpoint; uploading to {endpoint} (see CRE-06, CRE-08)");
            run.UploadUrl = endpoint;
        }
        run.CreatedAt = (o["created_at"] as JsonValue)?.ToString();
        run.ExpiresAt = (o["expires_at"] as JsonValue)?.ToString();
        Progress?.Invoke($"{run.Scenario}: session {run.SessionId} created");
        return true;
    }

    /// <summary>Back-offs before the second and third try of a request that got a 5xx or no answer.</summary>
    private static readonly TimeSpan[] RetryBackOff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(600)];

    /// <summary>
    /// Sends a request whose answer a scenario or probe depends on; a 5xx or a transport error is tried again, bounded
    /// (two more tries, short back-off). Every try is recorded as evidence (the retries as "{step} (retry n)"), so the
    /// first failure still counts for its own rows (CRE-01, ERR-05); the retry only lets the other checks reach a verdict.
    /// </summary>
    private Task<Exchange> SendWithRetriesAsync(ScenarioRun run, string step, Method method, string url, JsonNode? json,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default, string? text = null) =>
        WithRetriesAsync(run, step, name => Client.SendAsync(name, method, url, (object?)text ?? json?.DeepClone(), headers: headers, ct: ct), ct);

    /// <summary>The retry loop of <see cref="SendWithRetriesAsync"/> for any request; `tried` sees every try as it is recorded.</summary>
    private async Task<Exchange> WithRetriesAsync(ScenarioRun run, string step, Func<string, Task<Exchange>> send, CancellationToken ct,
        Action<Exchange>? tried = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var x = run.Record(await send(attempt == 0 ? step : $"{step} (retry {attempt})"));
            tried?.Invoke(x);
            if (attempt >= RetryBackOff.Length || (x.GotResponse && x.Status < 500)) return x;
            await Task.Delay(RetryBackOff[attempt], ct);
        }
    }

    /// <summary>True for the step itself and its retries (see <see cref="SendWithRetriesAsync"/>).</summary>
    public static bool IsAttemptOf(string recorded, string step) =>
        recorded == step || (recorded.StartsWith(step + " (retry ", StringComparison.Ordinal) && recorded.EndsWith(')'));

    /// <summary>Both absolute and equal but for the scheme (which SEC-01 / CRE-07 judge).</summary>
    public static bool SameUrlIgnoringScheme(string? a, string? b)
    {
        static string? Rest(string? url) => Rules.IsWebUrl(url, out var u) ? u.AbsoluteUri[(u.Scheme.Length + 3)..].TrimEnd('/') : null;
        return Rest(a) is { } ra && ra == Rest(b);
    }

    private async Task<bool> UploadAsync(ScenarioRun run, AudioChunk chunk, CancellationToken ct)
    {
        if (!Rules.IsWebUrl(run.UploadUrl, out _))
        {
            run.Stop(Verdict.Inconclusive, $"Create Session gave no absolute upload_url ('{run.UploadUrl}'), so no audio could be sent.");
            return false;
        }
        // A 5xx or no answer is retried like a Create, every try kept (UPL-01 and UPL-05 read them all).
        var x = await WithRetriesAsync(run, $"upload {chunk.FileName}", name => SendChunkAsync(name, run.UploadUrl!, chunk, ct: ct), ct, run.Uploads.Add);
        if (x.Accepted) return true;
        run.Stop(Verdict.Inconclusive, $"Upload of {chunk.FileName} answered {Describe(x)}, so the session could not be given its audio.");
        return false;
    }

    /// <summary>
    /// Polls at the configured cadence (about 1 s, as the seed asks) from End until the code is no longer 202.
    /// 429/503 are waited out as Retry-After says; a network error is retried; the deadline ends the wait as inconclusive.
    /// </summary>
    private async Task PollUntilTerminalAsync(ScenarioRun run, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(Options.Polling.DeadlineSeconds);
        var interval = TimeSpan.FromMilliseconds(Options.Polling.IntervalMs);
        var next = TimeSpan.Zero;
        while (true)
        {
            // The polling loop paces itself by Retry-After against its deadline, so it sees each throttled answer.
            var x = await GetAsync(run, "get poll", ct: ct, waitOutThrottling: false);
            run.Polls.Add(x);
            var status = x.GotResponse ? x.Status : 0;
            string? note = x.TransportError;
            var pause = interval;
            var throttled = false;
            if (status is 429 or 503 && RetryAfter(x) is { } retry)
            {
                pause = retry > interval ? retry : interval;
                throttled = true;
                note = $"throttled: Retry-After {retry.TotalSeconds:0.#} s";
            }
            run.Timeline.Add(new(Math.Round(clock.Elapsed.TotalSeconds, 3), status, x.BodyStatus, note));
            // A session code other than 202 ends the wait. Anything else (a 404, a 5xx) ends it only when it repeats:
            // one stray answer is GET-PAIR-15's or POLL-01's finding, not the session's outcome.
            // A session code with a pending body status (200 "processing") is not the outcome either: GET-PAIR-10 judges that pairing.
            var settled = Rules.IsSessionCode(status) ? x.BodyStatus is not ("processing" or "initialized")
                : run.Polls.TakeLast(StrayAnswersTolerated).Count(p => p.GotResponse && p.Status == status) == StrayAnswersTolerated;
            if (status != 0 && status != 202 && status is not (429 or 503) && settled)
            {
                run.Terminal = x;
                Progress?.Invoke($"{run.Scenario}: {x.Status} {x.BodyStatus} after {clock.Elapsed.TotalSeconds:0.0} s");
                return;
            }
            var state = status == 0 ? "no answer" : $"{status} {x.BodyStatus}";
            if (run.Polls.Count == 1 || run.Polls[^2].BodyStatus != x.BodyStatus)
                Progress?.Invoke($"{run.Scenario}: {state} at {clock.Elapsed.TotalSeconds:0.0} s");
            // Fixed-rate cadence: the next poll is due one interval after the previous one started; a Retry-After
            // counts from when the answer arrived, so the server gets at least the pause it asked for.
            next = throttled ? clock.Elapsed + pause : next + pause;
            var wait = next - clock.Elapsed;
            // A tick (marked "~"): a terminal shows it as the scenario's live line; a CI log leaves it out.
            var paced = (run.LastGetAt ?? DateTimeOffset.UtcNow) + interval - DateTimeOffset.UtcNow;
            var nextIn = Math.Max(0, Math.Max(wait.TotalSeconds, paced.TotalSeconds));
            Progress?.Invoke($"~{run.Scenario}: {state}, {clock.Elapsed.TotalSeconds:0.0} s since End, next poll in {nextIn:0.0} s");
            if (clock.Elapsed + (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) > deadline)
            {
                run.Stop(Verdict.Inconclusive, $"no terminal state within the {Options.Polling.DeadlineSeconds} s deadline "
                    + $"(--poll-deadline); {run.Polls.Count} polls, last answer {Describe(x)}.");
                return;
            }
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            else next = clock.Elapsed;
        }
    }

    /// <summary>How many times in a row a poll must get the same non-session answer (404, 5xx…) before it is taken as final.</summary>
    private const int StrayAnswersTolerated = 3;

    /// <summary>Retry-After in seconds or as an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(Exchange x)
    {
        var value = x.Header("Retry-After");
        if (value is null) return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(Math.Min(seconds, 600));
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            return when - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? (d < TimeSpan.FromMinutes(10) ? d : TimeSpan.FromMinutes(10)) : TimeSpan.Zero;
        return null;
    }

    /// <summary>
    /// GET of the run's session, never sooner than one polling interval after the previous GET of that session:
    /// the harness asks for a session at most about once a second, as the seed's polling guidance does. A throttled
    /// answer (429/503 with Retry-After) is waited out and asked again, and so is an answer that was another session's.
    /// </summary>
    private async Task<Exchange> GetAsync(ScenarioRun run, string step, string query = "", bool auth = true,
        string? authOverride = null, CancellationToken ct = default, bool waitOutThrottling = true)
    {
        // Waiting out throttling is bounded: at most a quarter of the polling deadline per GET.
        var budget = TimeSpan.FromSeconds(Options.Polling.DeadlineSeconds / 4.0);
        var waited = TimeSpan.Zero;
        for (var attempt = 0; ; attempt++)
        {
            var due = run.LastGetAt + TimeSpan.FromMilliseconds(Options.Polling.IntervalMs) - DateTimeOffset.UtcNow;
            if (run.LastGetAt is not null && due > TimeSpan.Zero) await Task.Delay(due.Value, ct);
            run.LastGetAt = DateTimeOffset.UtcNow;
            var x = run.Record(await Client.SendAsync(step, Method.Get, target.SessionUrl(run.SessionId!) + query, auth: auth,
                authOverride: authOverride, ct: ct));
            // This run's id, but the session another Create made: the id was handed out twice, and asking again cannot help.
            if (NotThisCreatesSession(run, x) is { } marker)
            {
                x.AnswersAnotherSession = true;
                run.NotItsOwnSession ??= $"session '{run.SessionId}' answers with the additional_data of another Create (marker {marker}), "
                    + "so the id Create handed out was already another session's (see CRE-09).";
                throw StopScenario(run, run.NotItsOwnSession);
            }
            // Another of this run's sessions answered (GET-PAIR-17, ISO-12 judge that): ask again for this one's own answer.
            // A crossed answer never enters the run's lists: when every try was crossed, the scenario stops here.
            if (Rules.Crossed(target.SessionIdsHandedOut.ContainsKey, run, x))
            {
                x.AnswersAnotherSession = true;
                if (attempt >= MaxGetRetries)
                    throw StopScenario(run, $"{attempt + 1} answers in a row to GET of session '{run.SessionId}' were another session's (see GET-PAIR-17, ISO-12).");
                continue;
            }
            if (attempt >= MaxGetRetries) return x;
            // Throttled: wait as Retry-After asks and ask again (POLL-01 judges the refusal, every exchange is kept).
            if (waitOutThrottling && x.Status is 429 or 503 && RetryAfter(x) is { } retry && waited + retry <= budget)
            {
                waited += retry;
                await Task.Delay(retry, ct);
                continue;
            }
            return x;
        }
    }

    /// <summary>Stops the run with `reason` and ends its sequence at once (each sequence catches it as a cancelled step).</summary>
    private static OperationCanceledException StopScenario(ScenarioRun run, string reason)
    {
        run.Stop(Verdict.Inconclusive, reason);
        return new OperationCanceledException(reason);
    }

    /// <summary>The other Create's marker when `x`, a body of this run's session id, carries another Create's additional_data.</summary>
    private static string? NotThisCreatesSession(ScenarioRun run, Exchange x) =>
        x.Text("session_id") == run.SessionId && AdditionalDataFixture.CreateMarkerOf(x.JsonObject) is { } seen
            && AdditionalDataFixture.CreateMarkerOf(run.CreateRequest) is { } sent && seen != sent ? seen : null;

    /// <summary>
    /// GET of a session a probe made (not the run's own), asked again like <see cref="GetAsync"/> when another of the
    /// run's sessions answered: a crossed answer is GET-PAIR-17's and ISO-12's finding, not the probe's.
    /// </summary>
    private async Task<Exchange> ReadProbeSessionAsync(ScenarioRun run, string step, string id,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var x = run.Record(await Client.SendAsync(step, Method.Get, target.SessionUrl(id), headers: headers, ct: ct));
            if (attempt >= MaxGetRetries || x.Text("session_id") is not { } other || other == id || !target.SessionIdsHandedOut.ContainsKey(other)) return x;
            x.AnswersAnotherSession = true;
        }
    }

    /// <summary>Retries of one GET that was throttled or answered for another session, before its answer is taken as it is.</summary>
    private const int MaxGetRetries = 3;

    private static string Describe(Exchange x) => x.TransportError is not null
        ? $"nothing ({x.TransportError})"
        : $"{x.Status}{(x.BodyStatus is { } s ? $" '{s}'" : "")} {(x.JsonObject?["error"]?["code"] is { } c ? $"({c})" : x.Json is null ? $"[{x.Excerpt(120)}]" : "")}".Trim();
}
