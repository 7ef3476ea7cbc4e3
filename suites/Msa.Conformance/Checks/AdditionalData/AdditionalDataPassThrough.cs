using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.AdditionalData;

/// <summary>
/// additional_data given at Create comes back unchanged in every Get Session state (spec 6.6). EkaScribe adds a reserved
/// `_protocol` key (seed examples), which the ekascribe profile tolerates and the msa-draft profile does not (CF-39).
/// </summary>
public static class AdditionalDataPassThrough
{
    private const string Reserved = "_protocol";

    /// <summary>Non-ASCII text as itself, so a failure shows what changed.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Every session body of a session created with additional_data, with what was sent.</summary>
    private static List<(ScenarioRun Run, Exchange X, JsonObject Sent)> Bodies(Observations o)
    {
        var bodies = Rules.SessionBodies(o)
            .Where(b => b.Run.CreateRequest?["additional_data"] is JsonObject)
            .Select(b => (b.Run, b.X, (JsonObject)b.Run.CreateRequest!["additional_data"]!)).ToList();
        return bodies.Count > 0 ? bodies : throw new NotReached(Verdict.Inconclusive, "no Get Session body of a session created with additional_data was observed");
    }

    private static string States(IEnumerable<Exchange> bodies) =>
        string.Join(", ", bodies.Select(x => $"{x.Status} {x.BodyStatus}").Distinct().Order());

    /// <summary>The states of the seed's table (202 counts once) that no body was seen in.</summary>
    private static string Unseen(IEnumerable<Exchange> bodies)
    {
        var seen = bodies.Select(x => x.Status == 202 ? "202" : $"{x.Status} {x.BodyStatus}").ToHashSet();
        var unseen = new[] { "202", "200 completed", "200 failed", "206 partial", "410 expired" }.Where(s => !seen.Contains(s)).ToList();
        return unseen.Count == 0 ? "" : $" Not observed in this run: {string.Join(", ", unseen)}.";
    }

    public static readonly Check PresentInEveryState = new(
        "additional-data.pass-through.present-every-state", "additional_data given at Create is in the Get Session body in every state",
        new("ADD-01"), Scenario.All, o =>
        {
            var bodies = Bodies(o);
            var v = new Violations();
            foreach (var (_, x, _) in bodies)
                v.When(x.JsonObject?["additional_data"] is not JsonObject, x,
                    () => $"Expected: additional_data (an object) in this {x.Status} {x.BodyStatus} body\nReceived: {(x.Has("additional_data") ? Rules.Show(x.JsonObject!["additional_data"]) : "no additional_data")}");
            return v.Result($"additional_data present in {bodies.Count} bodies; states seen: {States(bodies.Select(b => b.X))}.{Unseen(bodies.Select(b => b.X))}");
        });

    /// <summary>
    /// The returned additional_data against what was sent: the ekascribe reading (ADD-03) ignores a server-added
    /// _protocol key, the msa-draft reading (ADD-02) does not (CF-39). Either way every value keeps its type (ADD-04).
    /// </summary>
    private static Check ComparedWithSent(string slug, string title, Requirement requirement) => new(
        $"additional-data.pass-through.{slug}", title, requirement, Scenario.All, o =>
        {
            var tolerant = requirement.Profile == ProtocolProfile.Ekascribe; // ADD-03, CF-39
            var v = new Violations();
            var bodies = Bodies(o).Where(b => b.X.JsonObject?["additional_data"] is JsonObject).ToList();
            var withReserved = 0;
            foreach (var (_, x, sent) in bodies)
            {
                var returned = x.JsonObject!["additional_data"]!.AsObject();
                var added = returned.ContainsKey(Reserved) && !sent.ContainsKey(Reserved);
                if (added) withReserved++;
                var compared = returned.DeepClone().AsObject();
                if (added && tolerant) compared.Remove(Reserved);
                v.When(!JsonNode.DeepEquals(compared, sent), x, () => $"Expected: additional_data {sent.ToJsonString(Readable)}{(tolerant ? $" (ignoring a server-added {Reserved})" : "")}\nReceived: {compared.ToJsonString(Readable)}"
                    + (!tolerant && added ? $"\n(the server adds {Reserved}, the EkaScribe convention; the msa-draft profile requires the object unchanged: CF-39)" : ""));
            }
            if (bodies.Count == 0) throw new NotReached(Verdict.Inconclusive, "no body carried additional_data (see additional-data.present-every-state)");
            return v.Result($"additional_data unchanged in {bodies.Count} bodies ({States(bodies.Select(b => b.X))})."
                + (withReserved > 0 ? $" The server adds the reserved key {Reserved} in {withReserved} of them; tolerated in the ekascribe profile (CF-39)." : ""));
        }) { AlsoCites = ["ADD-04"] };

    public static readonly Check Unchanged = ComparedWithSent("unchanged",
        $"The returned additional_data, without a server-added {Reserved}, is JSON-equal to what was sent (nested values, types, non-ASCII, null, large integers)",
        new("ADD-03"));

    public static readonly Check UnchangedExactly = ComparedWithSent("unchanged-exactly",
        "The returned additional_data is JSON-equal to what was sent, with no key added (nested values, types, non-ASCII, null, large integers)",
        new("ADD-02"));

    public static readonly Check ReservedKeyMatchesCreate = new(
        "additional-data.pass-through.protocol-key-matches", "A server-added additional_data._protocol repeats upload_type, communication_protocol and templates from Create",
        new("ADD-08"), Scenario.All, o =>
        {
            var withKey = Bodies(o).Where(b => b.X.JsonObject?["additional_data"]?[Reserved] is JsonObject).ToList();
            if (withKey.Count == 0) throw new NotReached(Verdict.NotApplicable, $"the server adds no {Reserved} key to additional_data");
            var v = new Violations();
            foreach (var (run, x, _) in withKey)
            {
                var reserved = x.JsonObject!["additional_data"]![Reserved]!;
                foreach (var (field, sentField) in new[] { ("upload_type", "upload_type"), ("communication_protocol", "communication_protocol"), ("requested_templates", "templates") })
                {
                    // A Create that named no templates requested none: an empty list repeats it.
                    var sent = run.CreateRequest![sentField] ?? (sentField == "templates" ? new JsonArray() : null);
                    v.When(reserved[field] is not null && !JsonNode.DeepEquals(reserved[field], sent), x,
                        () => $"Expected: {Reserved}.{field} {Rules.Show(sent)} (Create's {sentField})\nReceived: {Rules.Show(reserved[field])}");
                }
            }
            return v.Result();
        });

    public static readonly Check NullAccepted = new(
        "additional-data.null-refused-or-served", "A Create with \"additional_data\": null is refused with 400 or 422, or accepted and its session then served normally",
        new("ADD-13"), Scenario.CreateSession, o =>
        {
            var create = Expect.Answered(o.Run, ProbeNames.NullAdditionalDataCreate);
            if (!create.Accepted)
                // The envelope of the refusal is ERR-01's finding.
                return new Violations().When(create.Status is not (400 or 422), create,
                        () => $"Expected: 400 or 422, or acceptance\nReceived: HTTP {create.Status}: {create.Excerpt(200)}")
                    .Result($"{create.Summary()}: refused.");
            var read = Expect.Answered(o.Run, ProbeNames.NullAdditionalDataRead);
            return new Violations().When(!Rules.IsSessionCode(read.Status) || read.JsonObject is null, read,
                    () => $"Expected: the accepted session served with a session code and body (202, 200, 206 or 410)\nReceived: HTTP {read.Status}: {read.Excerpt(200)}")
                .Result($"Accepted; {read.Summary()}.");
        });

    public static IReadOnlyList<Check> All => [PresentInEveryState, Unchanged, UnchangedExactly, ReservedKeyMatchesCreate, NullAccepted];
}
