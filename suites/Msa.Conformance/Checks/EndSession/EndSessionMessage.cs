using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.EndSession;

/// <summary>End Session's message field (msa schema sessions; eka end-session; CF-25: strict in both profiles).</summary>
public static class EndSessionMessage
{
    public static readonly Check NonEmpty = new(
        "end-session.answer.message", "message in the 202 body is a non-empty, human-readable string",
        new("END-05", Must, "msa schema sessions; eka end-session; CF-25"), Scenario.All, o =>
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
