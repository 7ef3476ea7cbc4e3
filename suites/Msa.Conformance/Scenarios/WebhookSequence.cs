using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Http;
using Msa.Conformance.Webhooks;
using RestSharp;

namespace Msa.Conformance.Scenarios;

/// <summary>
/// The webhook scenario (community spec section 10). Start the receiver; register it at discovery's webhooks_url for
/// every event with a secret and without, and for session.completed alone; try register and list without a credential;
/// list. Then drive four sessions to completed, partial, failed and expired while the receiver records every delivery,
/// refuses the very first one with 500 (the server should retry it) and GETs each session as soon as its outcome is
/// announced. If nothing reaches the receiver shortly after the first session exists, stop there (the preflight).
/// Whatever happens, interrupted or not, every registration the server accepted is deleted before the scenario ends.
/// </summary>
internal sealed class WebhookSequence(Target target, Action<string>? progress)
{
    public const string RegisterWithoutCredential = "register without credential";
    public const string ListWithoutCredential = "list without credential";
    public const string DeleteWithoutCredential = "delete without credential";
    public const string DeleteUnknown = "delete unknown id";

    private static readonly Scenario[] Lifecycles = [Scenario.Completed, Scenario.Partial, Scenario.Failed, Scenario.Expired];
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentQueue<Task> _receiptGets = new();
    private WebhookReceiver? _receiver;

    private HarnessOptions Options => target.Options;
    private MsaClient Client => target.Client;

    public async Task<ScenarioRun> RunAsync(ScenarioRun run, CancellationToken ct)
    {
        var w = run.Webhooks = new WebhookObservations(Options.Polling.DeadlineSeconds);
        try
        {
            if (WebhookObservations.Advertised(target.Discovery, out var notOffered) is not { } webhooksUrl)
            {
                run.Stop(Verdict.NotApplicable, notOffered);
                return run;
            }
            w.WebhooksUrl = webhooksUrl;
            try { _receiver = await WebhookReceiver.StartAsync(Options.Webhooks, d => Receive(run, w, d), ct); }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                run.Stop(Verdict.Inconclusive, $"the webhook receiver could not listen on {Options.Webhooks.ListenAddress}:{Options.Webhooks.ListenPort} "
                    + $"({e.Message}); choose another --webhook-listen / --webhook-port.");
                return run;
            }
            await using (_receiver)
            {
                progress?.Invoke($"Webhooks: receiver at {_receiver.PublicBase} (listening on {_receiver.ListenUrl})");
                try { await ObserveAsync(run, w, ct); }
                finally { await UnregisterAsync(run, w, interrupted: ct.IsCancellationRequested); }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            run.Stop(Verdict.Inconclusive, "the run was interrupted");
        }
        finally
        {
            run.FinishedAt = DateTimeOffset.UtcNow;
            if (_receiver is not null) WebhookReport.Attach(run, w, _receiver, Options.Profile);
        }
        return run;
    }

    private async Task ObserveAsync(ScenarioRun run, WebhookObservations w, CancellationToken ct)
    {
        w.Probes[RegisterWithoutCredential] = (await RegisterAsync(run, w, "unauthenticated probe", w.ProbeKey, WebhookEvents.All, secret: null, auth: false, ct)).Answer;
        w.Probes[ListWithoutCredential] = run.Record(await Client.SendAsync("list webhooks without credential", Method.Get, w.WebhooksUrl, auth: false, ct: ct));
        w.Signed = await RegisterAsync(run, w, "signed", w.SignedKey, WebhookEvents.All, w.Secret, auth: true, ct);
        w.Unsigned = await RegisterAsync(run, w, "unsigned", w.UnsignedKey, WebhookEvents.All, secret: null, auth: true, ct);
        w.CompletedOnly = await RegisterAsync(run, w, "completed only", w.CompletedOnlyKey, [WebhookEvents.Completed], secret: null, auth: true, ct);
        // Only with an https receiver: then a plain-http URL differs from the set-up in its scheme alone (WH-REG-03, WH-DEL-15).
        if (_receiver!.PlainUrlFor(w.PlainKey) is { } plain)
            w.PlainHttp = await RegisterAsync(run, w, "plain http", w.PlainKey, WebhookEvents.All, secret: null, auth: true, ct, plain);
        w.ListAfterRegistering = run.Record(await Client.SendAsync("list webhooks", Method.Get, w.WebhooksUrl, ct: ct));
        if (w.Signed.WebhookId is null)
        {
            w.NoDeliveries = $"the webhook registration was not accepted ({w.Signed.Answer.Summary()}), so no delivery could be observed"
                + (w.Signed.Answer.Status is >= 400 and < 500 && w.Signed.Url.StartsWith("http:", StringComparison.Ordinal)
                    ? "; servers may refuse a plain-http receiver (spec 10.2 asks for https): run an https tunnel to the receiver and pass it with --webhook-public-url." : ".");
            return;
        }
        await DriveSessionsAsync(run, w, ct);
    }

    private async Task<WebhookRegistration> RegisterAsync(ScenarioRun run, WebhookObservations w, string label, string key, IEnumerable<string> events,
        string? secret, bool auth, CancellationToken ct, string? url = null)
    {
        url ??= _receiver!.UrlFor(key);
        var body = new JsonObject { ["url"] = url, ["events"] = new JsonArray([.. events.Select(e => (JsonNode)e)]) };
        if (secret is not null) body["secret"] = secret;
        var x = run.Record(await Client.SendAsync($"register webhook ({label})", Method.Post, w.WebhooksUrl, body.DeepClone(), auth: auth, ct: ct));
        var registration = new WebhookRegistration(label, url, body, x);
        if (registration.WebhookId is not null) w.Accepted.Add(registration);
        return registration;
    }

    private async Task DriveSessionsAsync(ScenarioRun run, WebhookObservations w, CancellationToken ct)
    {
        var sessions = new ScenarioDriver(target) { Progress = progress is null ? null : line => progress($"Webhooks · {line}") };
        w.Sessions = [.. Lifecycles.Select(l => new ScenarioRun(l))];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var processed = w.Sessions.Where(s => s.Scenario != Scenario.Expired).Select(s => sessions.RunAsync(s, stop.Token)).ToList();
        var expiring = sessions.RunAsync(w.Session(Scenario.Expired)!, expiry.Token);
        var driving = Task.WhenAll([.. processed, expiring]);
        var otherTenant = OtherTenantAsync(run, w, sessions, stop.Token);

        // Preflight: once a session exists, something (its session.started) must reach the receiver soon.
        await WaitUntilAsync(() => driving.IsCompleted || w.Sessions.Any(s => s.SessionId is not null), TimeSpan.FromSeconds(Options.Http.TimeoutSeconds + 1), ct);
        if (w.Sessions.Any(s => s.SessionId is not null)
            && !await WaitUntilAsync(() => w.Deliveries.Any(w.IsOurs), TimeSpan.FromSeconds(Options.Webhooks.PreflightSeconds), ct))
        {
            w.ReceiverUnreached = true;
            w.NoDeliveries = $"the server accepted the webhook registrations but nothing reached {_receiver!.UrlFor(w.SignedKey)} within "
                + $"{Options.Webhooks.PreflightSeconds} s of creating a session. If the server cannot reach this machine, run a tunnel to the receiver "
                + $"(listening on {_receiver.ListenUrl}; fix its port with --webhook-port) and pass the tunnel's public https address with "
                + "--webhook-public-url. If deliveries are only slow, raise Webhooks:PreflightSeconds.";
            progress?.Invoke("Webhooks: nothing reached the receiver; the delivery checks are not evaluated");
            await stop.CancelAsync();
            try { await driving; }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
            return;
        }
        await Task.WhenAll([.. processed, otherTenant]);
        progress?.Invoke("Webhooks: sessions processed; waiting for the events still missing");
        var untilExpiry = w.ExpiryAwaited - DateTimeOffset.UtcNow is { } left && left > TimeSpan.Zero ? left : TimeSpan.Zero;
        await WaitUntilAsync(w.AllExpectedArrived, untilExpiry + TimeSpan.FromSeconds(Options.Webhooks.DeliverySeconds), ct);
        // Once session.expired came (and the GET on receipt saw 410), the never-ended session's own late GET adds nothing.
        await expiry.CancelAsync();
        try { await expiring; }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        await Task.WhenAll(_receiptGets);
        if (w.OtherTenantCreate is { } foreign && Rules.Text(foreign, "session_id") is { } id) w.OtherTenantIdRepeated = target.SessionIdRepeated(id);
    }

    /// <summary>
    /// ISO-10, only with another client's key: that client lists webhooks_url, then creates and ends a session of its
    /// own. Its listing is kept only as far as it shows this client's registrations: another client's data stays out
    /// of the report.
    /// </summary>
    private async Task OtherTenantAsync(ScenarioRun run, WebhookObservations w, ScenarioDriver sessions, CancellationToken ct)
    {
        if (Options.OtherTenantToken.Length == 0) return;
        var list = await Client.SendAsync(Probe.OtherTenant("list webhooks"), Method.Get, w.WebhooksUrl, authOverride: Options.OtherTenantToken, ct: ct);
        OtherClientsView.KeepOnlyOurs(list, w.Accepted);
        w.ListAsOtherTenant = run.Record(list);
        w.OtherTenantCreate = await sessions.CreateAndEndAsOtherTenantAsync(run, ct);
    }

    /// <summary>Records a delivery and answers it; an outcome event about a driven session triggers one GET of that session at once.</summary>
    private int Receive(ScenarioRun run, WebhookObservations w, ReceivedWebhook delivery)
    {
        var status = w.Receive(delivery);
        delivery.Exchange = run.Record(AsExchange(w, delivery));
        if (delivery.Key == w.SignedKey && !WebhookEvents.IsLifecycleStep(delivery.Event) && w.SessionNamed(delivery.SessionId) is { SessionId: { } id }
            && w.First(delivery.Event!, id) == delivery)
            _receiptGets.Enqueue(Task.Run(async () => delivery.ReceiptGet = run.Record(
                await Client.SendAsync($"on receipt of {delivery.Event}: GET the session", Method.Get, target.SessionUrl(id)))));
        return status;
    }

    private Exchange AsExchange(WebhookObservations w, ReceivedWebhook d)
    {
        return new Exchange
        {
            Step = $"webhook received: {d.Event ?? "(no event)"} for {d.SessionId ?? "(no session_id)"} at the {w.RegistrationOf(d)} registration — "
                + WebhookSignature.Describe(d, w, Options.Profile),
            Method = "POST",
            Url = d.Scheme == "http" && _receiver!.PlainUrlFor(d.Key) is { } plain ? plain : _receiver!.UrlFor(d.Key),
            RequestHeaders = d.Headers,
            RequestBody = Redactor.Scrub(d.BodyText),
            StartedAt = d.ArrivedAt,
            Status = d.Answer,
            ContentType = "application/json",
            Body = d.Answer == 500 ? "(refused on purpose: the first delivery gets 500 to see whether the server retries it)" : "{\"received\":true}",
        };
    }

    /// <summary>Deletes every registration the server accepted, with its own time budget so an interrupted run cleans up too.</summary>
    private async Task UnregisterAsync(ScenarioRun run, WebhookObservations w, bool interrupted)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(2 * Options.Http.TimeoutSeconds + 5));
        var ct = budget.Token;
        try
        {
            if (!interrupted && w.Signed?.WebhookId is { } signedId)
                w.Probes[DeleteWithoutCredential] = run.Record(await Client.SendAsync("delete webhook without credential", Method.Delete, w.WebhookUrl(signedId), auth: false, ct: ct));
            if (!interrupted && w.Signed is not null)
                w.Probes[DeleteUnknown] = run.Record(await Client.SendAsync("delete unknown webhook id", Method.Delete,
                    w.WebhookUrl("wh_msa_conformance_unknown_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))), ct: ct));
            foreach (var r in w.Accepted.ToList())
                w.Deletes[r.Label] = run.Record(await Client.SendAsync($"delete webhook ({r.Label})", Method.Delete, w.WebhookUrl(r.WebhookId!), ct: ct));
            if (w.Accepted.Count > 0)
                w.ListAfterDeleting = run.Record(await Client.SendAsync("list webhooks after deleting", Method.Get, w.WebhooksUrl, ct: ct));
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            // reported below as not removed
        }
        var left = w.Accepted.Where(r => w.Deletes.GetValueOrDefault(r.Label) is not { Status: >= 200 and < 300 or 404 }).ToList();
        if (left.Count > 0)
            progress?.Invoke($"Webhooks: could not remove {string.Join(", ", left.Select(r => r.WebhookId))} from {w.WebhooksUrl}; delete them by hand.");
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> done, TimeSpan limit, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed >= limit) return false;
            await Task.Delay(Tick, ct);
        }
        return true;
    }
}
