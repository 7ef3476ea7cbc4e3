using Msa.Conformance.Scenarios;
using Msa.Conformance.Webhooks;
using static Msa.Conformance.Checks.Level;
using static Msa.Conformance.Checks.Webhooks.WebhookFacts;

namespace Msa.Conformance.Checks.Webhooks;

/// <summary>The webhook channel agrees with the polling channel (seed webhook tip; spec 10.6): an announced outcome is already what GET shows.</summary>
public static class WebhookConsistency
{
    public static readonly Check StateVisibleOnReceipt = new(
        "webhooks.consistency.state-visible-on-receipt",
        "An outcome event is delivered only once GET shows that outcome (completed 200, partial 206, failed 200, expired 410)",
        new("WH-DEL-09"), Scenario.Webhooks, o =>
        {
            var w = Delivered(o);
            var v = new Violations();
            var notes = new List<string>();
            foreach (var s in w.Sessions)
                foreach (var (name, (code, status)) in WebhookEvents.Outcomes)
                {
                    if (w.First(name, s.SessionId) is not { } d) continue;
                    var get = d.ReceiptGet;
                    if (get is not { GotResponse: true }) continue;
                    if (Rules.Crossed(o.KnownSessionIds.Contains, s, get))
                    {
                        notes.Add($"{s.Scenario} session: {name}: the GET on receipt was answered with another session ({get.Text("session_id")}): see GET-PAIR-17, ISO-12; not judged.");
                        continue;
                    }
                    // A session that had already answered a terminal code (to a GET the server may have served first) and now says 202 went back:
                    // that is GET-PAIR-14's finding, not a delivery made too early.
                    // Every GET of the session counts, the GETs on receipt of other deliveries (a second registration, a retry) included.
                    var gets = s.SessionGets.Concat(w.ReceiptGets(s.SessionId)).ToList();
                    var terminalBefore = gets.FirstOrDefault(x => x.GotResponse && Rules.IsTerminalCode(x.Status)
                        && x != get && x.StartedAt < get.StartedAt + get.Elapsed); // sent before the receipt GET was answered: it may have been served first
                    if (terminalBefore is not null && Pending(get))
                    {
                        notes.Add($"{s.Scenario} session: {name}: the GET on receipt answered 202, but {terminalBefore.Summary()} had already been terminal (see GET-PAIR-14); not judged.");
                        continue;
                    }
                    // What the statement forbids is a state the API does not show yet (202); which terminal code goes with which status is GET-PAIR-*'s.
                    v.When(Pending(get), get,
                        () => $"Expected: the GET made on receipt of {name} to answer {code} \"{status}\", not 202\nReceived: {get.Status} \"{get.BodyStatus}\": "
                            + "the event announced a state the API did not show yet");
                    // A 202 after the session already answered terminally went back (GET-PAIR-14's), so only one before any terminal answer counts.
                    var firstTerminal = gets.Where(x => x.GotResponse && Rules.IsTerminalCode(x.Status) || x == get && !Pending(get))
                        .Select(x => (DateTimeOffset?)x.StartedAt).Min();
                    var stillPending = terminalBefore is null
                        ? s.Polls.FirstOrDefault(p => Pending(p) && p.StartedAt > d.ArrivedAt && (firstTerminal is null || p.StartedAt < firstTerminal)) : null;
                    v.When(stillPending is not null, stillPending, () => $"Expected: no GET made after {name} arrived to answer 202\n"
                        + $"Received: a GET made {(stillPending!.StartedAt - d.ArrivedAt).TotalMilliseconds:0} ms after it arrived answered 202 '{stillPending.BodyStatus}'");
                    var pairing = get.Status != code || get.BodyStatus != status ? $" (not {code} \"{status}\": see GET-PAIR-03..07)" : "";
                    // Arrival order is only noted: no source orders deliveries, and a retried or slow delivery can overtake.
                    var ended = w.First(WebhookEvents.Ended, s.SessionId);
                    var early = ended is not null && d.ArrivedAt < ended.ArrivedAt ? $"; arrived {(ended.ArrivedAt - d.ArrivedAt).TotalMilliseconds:0} ms before session.ended" : "";
                    var copies = w.ToSigned.Count(x => x.Event == name && x.SessionId == s.SessionId);
                    notes.Add($"{s.Scenario} session: {name} {WebhookReport.Delay(s, d)}; GET on receipt {get.Status} {get.BodyStatus}{pairing}{early}"
                        + (copies > 1 ? $"; delivered {copies} times (duplicates are allowed)" : ""));
                }
            if (notes.Count == 0 && v.Count == 0) throw new NotReached(Verdict.Inconclusive, "no outcome event about a driven session arrived with a GET on receipt");
            return v.Result(string.Join("\n", notes));
        });

    /// <summary>The answer still shows the session before its outcome: 202, or a pending status whatever the code.</summary>
    private static bool Pending(Http.Exchange x) => x.GotResponse && (x.Status == 202 || x.BodyStatus is "processing" or "initialized");

    public static IReadOnlyList<Check> All => [StateVisibleOnReceipt];
}
