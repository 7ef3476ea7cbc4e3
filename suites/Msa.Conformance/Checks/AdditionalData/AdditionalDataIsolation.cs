using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;
using Decoy = Msa.Conformance.Scenarios.AdditionalDataFixture;

namespace Msa.Conformance.Checks.AdditionalData;

/// <summary>additional_data is opaque: keys in it named like protocol fields never reach the session's own fields (spec 6.6).</summary>
public static class AdditionalDataIsolation
{
    /// <summary>The top-level fields each decoy could leak into, and what a leak looks like there.</summary>
    private static IEnumerable<string> Leaks(JsonObject body)
    {
        if (Rules.TextOf(body["status"]) == Decoy.DecoyStatus) yield return $"status \"{Decoy.DecoyStatus}\"";
        if (Rules.TextOf(body["session_id"]) == Decoy.DecoySessionId) yield return $"session_id \"{Decoy.DecoySessionId}\"";
        if (Rules.TextOf(body["model_used"]) == Decoy.DecoyModel) yield return $"model_used \"{Decoy.DecoyModel}\"";
        if (Rules.TextOf(body["language_detected"]) == Decoy.DecoyLanguage) yield return $"language_detected \"{Decoy.DecoyLanguage}\"";
        if (Rules.Show(body["templates"]).Contains(Decoy.DecoyTemplate, StringComparison.Ordinal)) yield return $"templates mentions \"{Decoy.DecoyTemplate}\"";
    }

    public static readonly Check DecoysStayInside = new(
        "additional-data.isolation.protocol-named-keys", "Keys in additional_data named like protocol fields (status, session_id, templates, model, language_hint) do not alter the session's own fields",
        new("ADD-07"), Scenario.All, o =>
        {
            var bodies = o.All.Where(r => r.CreateRequest?["additional_data"]?["model"] is not null)
                .SelectMany(r => r.SessionGets.Prepend(r.Create).OfType<Exchange>().Where(x => x.GotResponse && x.JsonObject is not null)).ToList();
            if (bodies.Count == 0) throw o.All.First(r => r.Scenario == Scenario.Completed).Unreached("no session created with the decoy additional_data was read back");
            var v = new Violations();
            foreach (var x in bodies)
            {
                var leaks = Leaks(x.JsonObject!).ToList();
                v.When(leaks.Count > 0, x, () => $"Expected: the session's own fields, untouched by additional_data's decoy keys\nReceived: {string.Join("; ", leaks)}");
            }
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [DecoysStayInside];
}
