using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using Msa.Conformance.Webhooks;

namespace Msa.Conformance.Reporting;

/// <summary>
/// observations.json: everything the scenarios observed, which is all a check reads, so `./run.sh --rejudge DIR` can
/// give every verdict again offline, with this or a newer harness. Exchanges are stored once in "exchanges" and named
/// by index elsewhere (a run's Create is also one of its exchanges). Credentials never enter it: request headers are
/// stored redacted, and every string is scrubbed of the run's secrets; the webhook secret becomes a placeholder, and
/// each delivery keeps the MACs the observing run computed with it, so WH-SIG-04 can be judged again. Unless
/// --full-evidence, every string under a patient field (transcript, data, patient_details, presigned_url) is replaced
/// by its length and a keyed hash whose key is thrown away: equal values stay equal, shapes and types stay, content
/// cannot be read back. The layout is documented in README.md ("Re-judging"); any change of a field's name or meaning
/// bumps <see cref="Version"/>.
/// </summary>
public static class ObservationFile
{
    public const string FileName = "observations.json";
    public const string Format = "msa-conformance-observations";
    public const int Version = 1;
    /// <summary>Stands for the webhook secret wherever it occurred (a server that lists it still shows it, WH-MGT's finding).</summary>
    public const string SecretPlaceholder = "[REDACTED:webhook-secret]";

    /// <summary>What a re-judge needs: the runs, the discovery document, the effective settings, and who observed them.</summary>
    public sealed record Bundle(IReadOnlyList<ScenarioRun> Runs, JsonObject Discovery, string DiscoveryUrl, HarnessOptions Options,
        string ObservedBy, DateTimeOffset ObservedAt);

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(IReadOnlyList<ScenarioRun> runs, JsonObject discovery, string discoveryUrl, HarnessOptions options, string harnessVersion)
    {
        var writer = new Writer(options.FullEvidence);
        var runsJson = new JsonArray([.. runs.Select(writer.Run)]);
        var root = new JsonObject
        {
            ["format"] = Format,
            ["format_version"] = Version,
            ["observed_by"] = harnessVersion,
            ["observed_at"] = DateTimeOffset.UtcNow.ToString("O"),
            ["patient_data"] = options.FullEvidence ? "verbatim (--full-evidence)"
                : "masked: strings under transcript, data, patient_details, presigned_url replaced by length and keyed hash",
            ["discovery_url"] = discoveryUrl,
            ["options"] = StoredOptions(options),
            ["discovery"] = discovery.DeepClone(),
            ["runs"] = runsJson,
            ["registrations"] = writer.RegistrationTable,
            ["exchanges"] = writer.ExchangeTable,
        };
        var secrets = runs.Select(r => r.Webhooks).OfType<WebhookObservations>().Where(w => w.SecretKnown).Select(w => w.Secret).ToList();
        Scrub(root, secrets);
        return root.ToJsonString(Compact);
    }

    /// <summary>Reads DIR/observations.json; a missing, foreign or other-version file is an <see cref="ObservationFileError"/> that says what to do.</summary>
    public static Bundle Read(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path))
            throw new ObservationFileError($"{dir} holds no {FileName}: it is not a report directory, or its run was made by a harness before 0.13 "
                + "(the first to record observations). Run the harness against the server again to get one.");
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { MaxDepth = 512 }) as JsonObject ?? throw new JsonException("not a JSON object"); }
        catch (JsonException e) { throw new ObservationFileError($"{path} is not readable JSON: {e.Message}"); }
        if ((string?)root["format"] != Format)
            throw new ObservationFileError($"{path} is not an observations file of this harness (its \"format\" is {root["format"]?.ToJsonString() ?? "missing"}, expected \"{Format}\").");
        var version = root["format_version"]?.GetValueKind() == JsonValueKind.Number ? (int)root["format_version"]! : -1;
        var observedBy = (string?)root["observed_by"] ?? "an unknown version";
        if (version != Version)
            throw new ObservationFileError($"{path} is observations format version {version}, written by harness {observedBy}; this harness reads version {Version}. "
                + $"Re-judge it with harness {observedBy}, or run against the server again.");
        try
        {
            var reader = new Reader(root["exchanges"]!.AsArray(), root["registrations"]!.AsArray());
            return new Bundle([.. root["runs"]!.AsArray().Select(r => reader.Run(r!.AsObject()))], root["discovery"]!.AsObject(),
                (string?)root["discovery_url"] ?? "", root["options"].Deserialize<HarnessOptions>() ?? throw new JsonException("no options"),
                observedBy, DateTimeOffset.Parse((string)root["observed_at"]!, System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException
                                      or ArgumentException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw new ObservationFileError($"{path} is damaged or incomplete ({e.GetType().Name}: {e.Message}); it cannot be re-judged.");
        }
    }

    /// <summary>The effective settings, credentials replaced by a marker that still says whether one was given (AUTH-12, ISO-04 read that).</summary>
    private static JsonObject StoredOptions(HarnessOptions options)
    {
        var node = JsonSerializer.SerializeToNode(options)!.AsObject();
        foreach (var secret in new[] { nameof(HarnessOptions.Token), nameof(HarnessOptions.SecondKey), nameof(HarnessOptions.OtherTenantToken) })
            node[secret] = ((string?)node[secret])?.Length > 0 ? Redactor.Mask : "";
        node[nameof(HarnessOptions.SignKey)] = "";
        return node;
    }

    /// <summary>Every string of the tree: the webhook secret replaced by its placeholder, then the run's other secrets.</summary>
    private static void Scrub(JsonNode? node, IReadOnlyList<string> webhookSecrets)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                    if (o[key] is JsonValue v && v.TryGetValue<string>(out var s)) o[key] = ScrubText(s, webhookSecrets);
                    else Scrub(o[key], webhookSecrets);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is JsonValue v && v.TryGetValue<string>(out var s)) a[i] = ScrubText(s, webhookSecrets);
                    else Scrub(a[i], webhookSecrets);
                break;
        }
    }

    private static string ScrubText(string text, IReadOnlyList<string> webhookSecrets) =>
        Redactor.Scrub(webhookSecrets.Aggregate(text, (t, secret) => t.Replace(secret, SecretPlaceholder, StringComparison.Ordinal)));

    private sealed class Writer(bool fullEvidence)
    {
        private readonly Dictionary<Exchange, int> _exchanges = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<WebhookRegistration, int> _registrations = new(ReferenceEqualityComparer.Instance);
        /// <summary>Keys the masking hash; never written, so a masked value cannot be guessed back by hashing candidates.</summary>
        private readonly byte[] _maskKey = RandomNumberGenerator.GetBytes(32);
        public JsonArray ExchangeTable { get; } = [];
        public JsonArray RegistrationTable { get; } = [];

        private JsonNode? Ref(Exchange? x)
        {
            if (x is null) return null;
            if (!_exchanges.TryGetValue(x, out var i))
            {
                _exchanges[x] = i = _exchanges.Count;
                ExchangeTable.Add(Stored(x));
            }
            return i;
        }

        private JsonArray Refs(IEnumerable<Exchange> xs) => [.. xs.Select(Ref)];
        private JsonObject RefMap(IReadOnlyDictionary<string, Exchange> xs) => new(xs.Select(p => KeyValuePair.Create(p.Key, Ref(p.Value))));

        private JsonObject Stored(Exchange x) => new()
        {
            ["step"] = x.Step, ["method"] = x.Method, ["url"] = x.Url,
            ["request_headers"] = Headers(x.RequestHeaders, redact: false),
            ["request_body"] = x.RequestBody is null ? null : MaskedText(x.RequestBody),
            ["answers_another_session"] = x.AnswersAnotherSession,
            ["repeats_session_id_of"] = x.RepeatsSessionIdOf,
            ["sent_credential"] = x.SentCredential,
            ["started_at"] = x.StartedAt.ToString("O"),
            ["elapsed_ticks"] = x.Elapsed.Ticks,
            ["status"] = x.Status,
            ["response_headers"] = Headers(x.ResponseHeaders, redact: true),
            ["content_type"] = x.ContentType,
            ["body"] = MaskedText(x.Body),
            ["body_truncated"] = x.BodyTruncated,
            ["transport_error"] = x.TransportError,
            ["note"] = x.Note,
        };

        /// <summary>Request headers are stored as MsaClient redacted them; response headers as the reports show them.</summary>
        private static JsonArray Headers(IEnumerable<KeyValuePair<string, string>> headers, bool redact) =>
            [.. headers.Select(h => new JsonArray(h.Key, redact ? Redactor.HeaderValue(h.Key, h.Value) : h.Value))];

        public JsonObject Run(ScenarioRun r) => new()
        {
            ["scenario"] = r.Scenario.ToString(),
            ["started_at"] = r.StartedAt.ToString("O"),
            ["finished_at"] = r.FinishedAt?.ToString("O"),
            ["exchanges"] = Refs(r.Exchanges),
            ["create_request"] = r.CreateRequest is null ? null : Masked(r.CreateRequest),
            ["create"] = Ref(r.Create),
            ["session_id"] = r.SessionId, ["upload_url"] = r.UploadUrl, ["created_at"] = r.CreatedAt, ["expires_at"] = r.ExpiresAt,
            ["requested_templates"] = new JsonArray([.. r.RequestedTemplates.Select(t => JsonValue.Create(t))]),
            ["uploads"] = Refs(r.Uploads),
            ["before_end"] = Refs(r.BeforeEnd),
            ["end"] = Ref(r.End),
            ["polls"] = Refs(r.Polls),
            ["timeline"] = new JsonArray([.. r.Timeline.Select(p => new JsonObject
            {
                ["seconds_since_end"] = p.SecondsSinceEnd, ["status"] = p.Status, ["body_status"] = p.BodyStatus, ["note"] = p.Note,
            })]),
            ["terminal"] = Ref(r.Terminal),
            ["after_terminal"] = Refs(r.AfterTerminal),
            ["filtered"] = RefMap(r.Filtered),
            ["probes"] = RefMap(r.Probes),
            ["attachments"] = new JsonArray([.. r.Attachments.Select(a => new JsonObject { ["name"] = a.Name, ["media_type"] = a.MediaType, ["content"] = a.Content })]),
            ["stopped"] = r.Stopped is { } s ? new JsonObject { ["verdict"] = s.Verdict.ToString(), ["reason"] = s.Reason } : null,
            ["last_get_at"] = r.LastGetAt?.ToString("O"),
            ["tls"] = JsonSerializer.SerializeToNode(r.Tls),
            ["stream"] = r.Stream is null ? null : JsonSerializer.SerializeToNode(r.Stream),
            ["keywords_heard"] = new JsonArray([.. r.KeywordsHeard.Select(k => JsonValue.Create(k))]),
            ["not_its_own_session"] = r.NotItsOwnSession,
            ["webhooks"] = r.Webhooks is { } w ? Webhooks(w) : null,
        };

        private JsonObject Webhooks(WebhookObservations w)
        {
            var deliveries = w.Deliveries;
            return new JsonObject
            {
                ["expiry_budget_seconds"] = (int)w.ExpiryBudget.TotalSeconds,
                ["run_token"] = w.RunToken,
                ["webhooks_url"] = w.WebhooksUrl,
                ["signed"] = Registration(w.Signed), ["unsigned"] = Registration(w.Unsigned), ["completed_only"] = Registration(w.CompletedOnly),
                ["plain_http"] = Registration(w.PlainHttp),
                ["accepted"] = new JsonArray([.. w.Accepted.Select(Registration)]),
                ["probes"] = RefMap(w.Probes),
                ["list_after_registering"] = Ref(w.ListAfterRegistering),
                ["list_as_other_tenant"] = Ref(w.ListAsOtherTenant),
                ["other_tenant_create"] = Ref(w.OtherTenantCreate),
                ["other_tenant_id_repeated"] = w.OtherTenantIdRepeated,
                ["deletes"] = RefMap(w.Deletes),
                ["list_after_deleting"] = Ref(w.ListAfterDeleting),
                ["sessions"] = new JsonArray([.. w.Sessions.Select(Run)]),
                ["deliveries"] = new JsonArray([.. deliveries.Select(d => Delivery(d, w))]),
                ["refused"] = w.Refused is { } refused ? deliveries.ToList().IndexOf(refused) : null,
                ["no_deliveries"] = w.NoDeliveries,
                ["receiver_unreached"] = w.ReceiverUnreached,
            };
        }

        private JsonNode? Registration(WebhookRegistration? r)
        {
            if (r is null) return null;
            if (!_registrations.TryGetValue(r, out var i))
            {
                _registrations[r] = i = _registrations.Count;
                RegistrationTable.Add(new JsonObject { ["label"] = r.Label, ["url"] = r.Url, ["request"] = Masked(r.Request), ["answer"] = Ref(r.Answer) });
            }
            return i;
        }

        private JsonObject Delivery(ReceivedWebhook d, WebhookObservations w)
        {
            // The MAC for every t a signature header of the delivery names, over the bytes as received (before masking).
            var macs = new JsonObject();
            if (w.SecretKnown)
                foreach (var name in WebhookSignature.HeaderOf.Values)
                    if (d.Header(name) is { } value && WebhookSignature.Parse(name, value).T is { } t)
                        macs[t.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Convert.ToHexStringLower(WebhookSignature.Mac(w.Secret, t, d.Body));
            var text = Encoding.UTF8.GetString(d.Body);
            var utf8 = Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(d.Body);
            return new JsonObject
            {
                ["key"] = d.Key,
                ["arrived_at"] = d.ArrivedAt.ToString("O"),
                ["headers"] = Headers(d.Headers, redact: true),
                [utf8 ? "body_text" : "body_base64"] = utf8 ? MaskedText(text) : Convert.ToBase64String(d.Body),
                ["remote_address"] = d.RemoteAddress,
                ["scheme"] = d.Scheme,
                ["answer"] = d.Answer,
                ["exchange"] = Ref(d.Exchange),
                ["receipt_get"] = Ref(d.ReceiptGet),
                ["macs"] = macs,
            };
        }

        /// <summary>A body as stored: verbatim, unless it is JSON holding patient fields and evidence is not full.</summary>
        private string MaskedText(string text)
        {
            if (fullEvidence || text.Length == 0) return text;
            JsonNode? json;
            try { json = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }); }
            catch (JsonException) { return text; } // not JSON: the reports show it as it came, and so does this file
            return json is not null && HoldsPatientData(json) ? Masked(json).ToJsonString(Compact) : text;
        }

        private JsonNode Masked(JsonNode node) => fullEvidence ? node.DeepClone() : Mask(node, inside: false);

        private static bool HoldsPatientData(JsonNode? node) => node switch
        {
            JsonObject o => o.Any(p => Redactor.IsPatientField(p.Key) || HoldsPatientData(p.Value)),
            JsonArray a => a.Any(HoldsPatientData),
            _ => false,
        };

        private JsonNode Mask(JsonNode node, bool inside) => node switch
        {
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Mask(p.Value, inside || Redactor.IsPatientField(p.Key))))),
            JsonArray a => new JsonArray([.. a.Select(i => i is null ? null : Mask(i, inside))]),
            JsonValue v when inside && v.TryGetValue<string>(out var s) => JsonValue.Create(MaskString(s)),
            _ => node.DeepClone(),
        };

        /// <summary>Blank stays blank (a check may judge emptiness); a URL keeps its scheme and host (a schema may judge those).</summary>
        private string MaskString(string s)
        {
            if (string.IsNullOrWhiteSpace(s)) return s;
            var hash = Convert.ToHexStringLower(HMACSHA256.HashData(_maskKey, Encoding.UTF8.GetBytes(s))[..6]);
            var masked = $"[masked {s.Length} chars {hash}]";
            return Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? $"{u.Scheme}://{u.Host}/{masked}" : masked;
        }
    }

    private sealed class Reader(JsonArray exchanges, JsonArray registrations)
    {
        private readonly Dictionary<int, Exchange> _exchanges = [];
        private readonly Dictionary<int, WebhookRegistration> _registrations = [];

        private Exchange? X(JsonNode? index) => index is null ? null : X((int)index);

        private Exchange X(int i)
        {
            if (_exchanges.TryGetValue(i, out var known)) return known;
            var o = exchanges[i]!.AsObject();
            var x = new Exchange
            {
                Step = (string)o["step"]!, Method = (string)o["method"]!, Url = (string)o["url"]!,
                RequestHeaders = Headers(o["request_headers"]),
                RequestBody = (string?)o["request_body"],
                AnswersAnotherSession = (bool)o["answers_another_session"]!,
                RepeatsSessionIdOf = (string?)o["repeats_session_id_of"],
                SentCredential = (bool)o["sent_credential"]!,
                StartedAt = Time(o["started_at"])!.Value,
                Elapsed = TimeSpan.FromTicks((long)o["elapsed_ticks"]!),
                Status = (int)o["status"]!,
                ContentType = (string?)o["content_type"],
                Body = (string?)o["body"] ?? "",
                BodyTruncated = (bool)o["body_truncated"]!,
                TransportError = (string?)o["transport_error"],
                Note = (string?)o["note"],
            };
            x.ResponseHeaders.AddRange(Headers(o["response_headers"]));
            return _exchanges[i] = x;
        }

        private List<Exchange> Xs(JsonNode? list) => [.. list!.AsArray().Select(i => X((int)i!))];

        private static List<KeyValuePair<string, string>> Headers(JsonNode? list) =>
            [.. list!.AsArray().Select(h => KeyValuePair.Create((string)h![0]!, (string)h[1]!))];

        private static DateTimeOffset? Time(JsonNode? text) =>
            text is null ? null : DateTimeOffset.Parse((string)text!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);

        public ScenarioRun Run(JsonObject o)
        {
            var name = (string)o["scenario"]!;
            if (!Enum.TryParse<Scenario>(name, out var scenario))
                throw new FormatException($"scenario '{name}' is not one this harness knows");
            var r = new ScenarioRun(scenario) { StartedAt = Time(o["started_at"])!.Value, FinishedAt = Time(o["finished_at"]) };
            foreach (var x in Xs(o["exchanges"])) r.Record(x);
            r.CreateRequest = o["create_request"]?.DeepClone().AsObject();
            r.Create = X(o["create"]);
            (r.SessionId, r.UploadUrl, r.CreatedAt, r.ExpiresAt) = ((string?)o["session_id"], (string?)o["upload_url"], (string?)o["created_at"], (string?)o["expires_at"]);
            r.RequestedTemplates = [.. o["requested_templates"]!.AsArray().Select(t => (string)t!)];
            r.Uploads.AddRange(Xs(o["uploads"]));
            r.BeforeEnd.AddRange(Xs(o["before_end"]));
            r.End = X(o["end"]);
            r.Polls.AddRange(Xs(o["polls"]));
            r.Timeline.AddRange(o["timeline"]!.AsArray().Select(p => new TimelinePoint((double)p!["seconds_since_end"]!, (int)p["status"]!, (string?)p["body_status"], (string?)p["note"])));
            r.Terminal = X(o["terminal"]);
            r.AfterTerminal.AddRange(Xs(o["after_terminal"]));
            foreach (var (k, v) in o["filtered"]!.AsObject()) r.Filtered[k] = X(v)!;
            foreach (var (k, v) in o["probes"]!.AsObject()) r.Probes[k] = X(v)!;
            r.Attachments.AddRange(o["attachments"]!.AsArray().Select(a => new RunAttachment((string)a!["name"]!, (string)a["media_type"]!, (string)a["content"]!)));
            if (o["stopped"] is JsonObject s) r.Stop(Enum.Parse<Verdict>((string)s["verdict"]!), (string)s["reason"]!);
            r.LastGetAt = Time(o["last_get_at"]);
            r.Tls.AddRange(o["tls"].Deserialize<List<TlsHandshake>>() ?? []);
            r.Stream = o["stream"].Deserialize<StreamObservation>();
            r.KeywordsHeard.AddRange(o["keywords_heard"]!.AsArray().Select(k => (string)k!));
            r.NotItsOwnSession = (string?)o["not_its_own_session"];
            if (o["webhooks"] is JsonObject w) r.Webhooks = Webhooks(w);
            return r;
        }

        private WebhookRegistration? Registration(JsonNode? index)
        {
            if (index is null) return null;
            var i = (int)index;
            if (_registrations.TryGetValue(i, out var known)) return known;
            var o = registrations[i]!.AsObject();
            return _registrations[i] = new WebhookRegistration((string)o["label"]!, (string)o["url"]!, o["request"]!.DeepClone().AsObject(), X(o["answer"])!);
        }

        private WebhookObservations Webhooks(JsonObject o)
        {
            var deliveries = o["deliveries"]!.AsArray().Select(d =>
            {
                var body = d!["body_text"] is { } text ? Encoding.UTF8.GetBytes((string)text!) : Convert.FromBase64String((string)d["body_base64"]!);
                return new ReceivedWebhook
                {
                    Key = (string)d["key"]!, ArrivedAt = Time(d["arrived_at"])!.Value, Headers = Headers(d["headers"]), Body = body,
                    RemoteAddress = (string?)d["remote_address"], Scheme = (string?)d["scheme"], Answer = (int)d["answer"]!, Exchange = X(d["exchange"]), ReceiptGet = X(d["receipt_get"]),
                    RecordedMacs = d["macs"]!.AsObject().ToDictionary(m => long.Parse(m.Key, System.Globalization.CultureInfo.InvariantCulture), m => Convert.FromHexString((string)m.Value!)),
                };
            }).ToList();
            var w = new WebhookObservations((int)o["expiry_budget_seconds"]!, SecretPlaceholder, (string)o["run_token"]!, deliveries, (int?)o["refused"])
            {
                WebhooksUrl = (string)o["webhooks_url"]!,
                Signed = Registration(o["signed"]), Unsigned = Registration(o["unsigned"]), CompletedOnly = Registration(o["completed_only"]),
                PlainHttp = Registration(o["plain_http"]),
                ListAfterRegistering = X(o["list_after_registering"]), ListAfterDeleting = X(o["list_after_deleting"]),
                ListAsOtherTenant = X(o["list_as_other_tenant"]), OtherTenantCreate = X(o["other_tenant_create"]),
                OtherTenantIdRepeated = (bool)o["other_tenant_id_repeated"]!,
                NoDeliveries = (string?)o["no_deliveries"], ReceiverUnreached = (bool)o["receiver_unreached"]!,
            };
            w.Accepted.AddRange(o["accepted"]!.AsArray().Select(a => Registration(a)!));
            foreach (var (k, v) in o["probes"]!.AsObject()) w.Probes[k] = X(v)!;
            foreach (var (k, v) in o["deletes"]!.AsObject()) w.Deletes[k] = X(v)!;
            w.Sessions = [.. o["sessions"]!.AsArray().Select(s => Run(s!.AsObject()))];
            return w;
        }
    }
}

/// <summary>An observations file that cannot be re-judged: missing, foreign, another format version, damaged.</summary>
public sealed class ObservationFileError(string message) : Exception(message);
