using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Webhooks;

/// <summary>
/// When each event of spec 10.4 happens: session.started when Create answers 201, session.ended when End answers 202,
/// the terminal event at the moment Get Session starts answering the outcome, and session.expired at expires_at of a
/// session that was never ended.
/// </summary>
internal sealed class SessionEvents(WebhookDispatcher dispatcher, SessionStore store, ServerSettings settings, FaultInjector faults) : IDisposable
{
    private static readonly double LongestDelayMs = TimeSpan.FromDays(1).TotalMilliseconds;
    private readonly CancellationTokenSource stopping = new();

    public void Created(Session session)
    {
        _ = dispatcher.Publish(new("session.started", session.Id, store.Now(), session.Tenant));
        At(session.ExpiresAt, () =>
        {
            if (!session.Snapshot().Ended) _ = dispatcher.Publish(new(WebhookEvent.Terminal(SessionPhase.Expired), session.Id, store.Now(), session.Tenant));
        });
    }

    /// <summary>Publishes session.ended and schedules the outcome; the task only waits when (fault) the outcome goes out at End.</summary>
    public Task EndedAsync(Session session)
    {
        var snapshot = session.Snapshot();
        if (snapshot.EndedAt is not { } ended) return Task.CompletedTask;
        _ = dispatcher.Publish(new("session.ended", session.Id, ended, session.Tenant));
        var processed = ended + settings.ProcessingTime;
        var outcome = new WebhookEvent(WebhookEvent.Terminal(snapshot.PhaseAt(processed, settings.ProcessingTime)), session.Id, processed, session.Tenant);
        var due = faults.TerminalEventTime(ended, processed);
        if (due < processed) return dispatcher.Publish(outcome with { At = ended }); // delivered before End even answers
        At(due, () => _ = dispatcher.Publish(outcome with { At = store.Now() }));
        return Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="publish"/> once this server's clock has reached <paramref name="due"/>, unless the server stops first.</summary>
    private void At(DateTimeOffset due, Action publish) => _ = RunAtAsync(due, publish, stopping.Token);

    private async Task RunAtAsync(DateTimeOffset due, Action publish, CancellationToken ct)
    {
        try
        {
            // A timer may wake a little before the clock shows `due`; the state table reads the clock, so wait until it does.
            for (var wait = due - store.Now(); wait > TimeSpan.Zero; wait = due - store.Now())
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(wait.TotalMilliseconds, 1, LongestDelayMs)), ct);
            publish();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the server is stopping
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }
}
