using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks.Isolation;

/// <summary>
/// ISO-05, from three sessions processed side by side, each given a different speech chunk: a transcript that holds a
/// word spoken only in another chunk carries speech its session was never given. A transcript missing its own words is
/// the server's recognition, not mixing, and is only noted.
/// </summary>
public static class SideBySideResults
{
    public static readonly Scenario[] Sessions = [Scenario.SideBySide0, Scenario.SideBySide1, Scenario.SideBySide2];

    public static readonly Check TranscriptsNotMixed = new(
        "isolation.side-by-side.transcripts", "Sessions processed side by side each get a transcript of their own audio: no words spoken only in another session's audio",
        new("ISO-05"), Scenario.All, o =>
        {
            var runs = o.All.Where(r => Sessions.Contains(r.Scenario)).ToList();
            var completed = runs.Where(r => r is { NotItsOwnSession: null, Terminal: { Status: 200 } t } && t.BodyStatus == "completed").ToList();
            if (completed.Count < 2)
                throw (runs.FirstOrDefault(r => r.Terminal is null) ?? runs[0]).Unreached($"{completed.Count} of the {runs.Count} side-by-side sessions completed; two are needed to compare");
            var v = new Violations();
            foreach (var r in completed)
            {
                var own = r.Scenario - Scenario.SideBySide0;
                foreach (var word in r.KeywordsHeard.Where(k => AudioFixtures.ChunkOf(k) != own))
                    v.When(true, r.Terminal, () => $"Expected: the transcript of the {r.Scenario} session, given audio_{own}.wav, without words spoken only in other audio\n"
                        + $"Received: \"{word}\", spoken only in audio_{AudioFixtures.ChunkOf(word)}.wav, which another session was given");
            }
            if (v.Count > 0) return v.Result();
            var heard = completed.Count(r => r.KeywordsHeard.Count > 0);
            if (heard == 0)
                return CheckResult.Inconclusive($"none of the {completed.Count} transcripts holds a word of its own audio ({string.Join(", ", AudioFixtures.SpokenKeywords.Select(k => string.Join("/", k)))}), "
                    + "so the server's transcription cannot show whether results are mixed", [.. completed.Select(r => r.Terminal!)]);
            return CheckResult.Pass($"{completed.Count} sessions processed side by side; {heard} transcript(s) hold words of their own audio, none a word of another's.");
        });

    public static IReadOnlyList<Check> All => [TranscriptsNotMixed];
}
