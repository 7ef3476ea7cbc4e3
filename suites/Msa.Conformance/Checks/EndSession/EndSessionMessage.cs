using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.EndSession;

/// <summary>End Session's message field (msa schema sessions; eka end-session; CF-25: strict in both profiles).</summary>
public static class EndSessionMessage
{
    public static readonly Check NonEmpty = new(
        "end-session.answer.message", "message in the 202 body is a non-empty, human-readable string",
        new("END-05"), Scenario.All, o =>
        {
            var ended = o.All.Where(r => r.End is { GotResponse: true, Status: 202 } && r.End.JsonObject is not null).Select(r => r.End!).ToList();
            if (ended.Count == 0) throw new NotReached(Verdict.Inconclusive, "no End Session was answered 202 with a JSON body");
            var v = new Violations();
            foreach (var x in ended)
                v.When(string.IsNullOrWhiteSpace(x.Text("message")), x,
                    () => $"Expected: message as a non-empty string\nReceived: {(x.Has("message") ? Rules.Show(x.JsonObject!["message"]) : "(absent)")}");
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [NonEmpty];
}

/// <summary>Two End calls racing on one session (eka end-session: a second End is refused with 400).</summary>
public static class EndSessionRace
{
    public static readonly Check ExactlyOneAccepted = new(
        "end-session.race.one-accepted", "Two simultaneous End calls on one session get exactly one 202; the other gets 400",
        new("ISO-06"), Scenario.UploadVariants, o =>
        {
            var answers = Enumerable.Range(0, 2).Select(i => Expect.Answered(o.Run, ScenarioDriver.SimultaneousEnd(i))).ToList();
            // The race is judged: exactly one accepted, the other refused. Which 2xx is END-01's and which 4xx END-09's / ERR-09's.
            var accepted = answers.Count(x => x.Accepted);
            // A server error on one of them says nothing about the race (END-01 and ERR-05 judge it); both accepted still does.
            if (accepted < 2 && answers.FirstOrDefault(x => x.Status >= 500) is { } error)
                throw new NotReached(Verdict.Inconclusive, $"{error.Summary()}: one End failed with a server error, so how the server settles the race is unknown (see END-01, ERR-05)");
            var refused = answers.Count(x => x.Status is >= 400 and < 500);
            var exact = answers.Select(x => x.Status).Order().SequenceEqual([202, 400]) ? "" : " (the codes themselves: see END-01, END-09)";
            return new Violations().When(accepted != 1 || refused != 1, answers.FirstOrDefault(x => !(x.Status is >= 400 and < 500)) ?? answers[0],
                    () => $"Expected: one End accepted (202) and the other refused (400)\nReceived: HTTP {string.Join(" and ", answers.Select(x => x.Status))}")
                .Result($"One End was accepted, the other refused: {string.Join(", ", answers.Select(x => x.ErrorCode() ?? x.Status.ToString()))}{exact}.");
        });

    public static IReadOnlyList<Check> All => [ExactlyOneAccepted];
}
