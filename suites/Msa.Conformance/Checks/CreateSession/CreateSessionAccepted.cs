using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.CreateSession;

/// <summary>
/// Optional Create fields and forms the server must accept with 201 (one row per body, sent by the CreateSession
/// scenario), what the 201 gives back, and that the ids it hands out are never repeated.
/// </summary>
public static partial class CreateSessionAccepted
{
    private const string Eka = "eka create-session";

    /// <summary>One accepted body: the valid body changed by `Adjust`, and the requirement it proves.</summary>
    public sealed record GoodBody(string Slug, string What, Requirement Requirement, Action<JsonObject, Capabilities> Adjust)
    {
        public bool AppliesTo(ProtocolProfile profile) => Requirement.AppliesTo(Requirement.Profile, profile);
    }

    public static string Probe(string slug) => $"good body: {slug}";

    public static readonly IReadOnlyList<GoodBody> Rows =
    [
        new("no-templates", "without templates", new("CRE-18"),
            (b, _) => b.Remove("templates")),
        // CF-12: msa-draft makes templates required (CRE-19), so only ekascribe promises this body is enough.
        new("required-fields-only", "holding only upload_type and communication_protocol", new("CRE-39", "CF-12", profile: ProtocolProfile.Ekascribe),
            (b, _) =>
            {
                foreach (var key in b.Select(p => p.Key).Where(k => k is not ("upload_type" or "communication_protocol")).ToList()) b.Remove(key);
            }),
        new("language-hint-supported", "whose language_hint lists codes from languages.supported", new("CRE-25"),
            (b, c) => b["language_hint"] = new JsonArray(c.LanguagesOrEnglish.Take(2).Select(l => (JsonNode)l!).ToArray())),
        new("language-hint-auto-detect", "with language_hint [\"auto_detect\"]", new("CRE-26"),
            (b, _) => b["language_hint"] = new JsonArray("auto_detect")),
        new("transcript-language-string", "with transcript_language as one string code, \"en\"", new("CRE-27"),
            (b, _) => b["transcript_language"] = "en"),
        new("session-mode-consultation", "with session_mode \"consultation\"", new("CRE-30"),
            (b, _) => b["session_mode"] = "consultation"),
        new("session-mode-dictation", "with session_mode \"dictation\"", new("CRE-30"),
            (b, _) => b["session_mode"] = "dictation"),
    ];

    public static readonly IReadOnlyList<Check> Accepted = Rows.Select(row => new Check(
        $"create-session.accepts.{row.Slug}", $"Create Session accepts a body {row.What} with 201", row.Requirement, Scenario.CreateSession, o =>
        {
            var x = Expect.Answered(o.Run, Probe(row.Slug));
            if (!x.Accepted) Expect.BaselineAccepted(o.Run);
            // "Accepted" is any 2xx; that it is 201 exactly is CRE-01's finding, unless the row itself names 201.
            var wanted = row.Requirement.Statement.Contains("201") ? 201 : (int?)null;
            return new Violations().When(wanted is { } w ? x.Status != w : !x.Accepted, x,
                    () => $"Expected: {(wanted is null ? "a 2xx acceptance" : "201 Created")} for a body {row.What}\nReceived: HTTP {x.Status}: {x.Excerpt(200)}")
                .Result($"{x.Summary()}: a body {row.What} is accepted{(wanted is null && x.Status != 201 ? " (201 exactly: see CRE-01)" : "")}.");
        })).ToList();

    public static readonly Check PatientDetailsEchoed = new(
        "create-session.created.patient-details-echoed", "The 201 body gives back the patient_details object of the Create unchanged",
        new("CRE-31"), Scenario.CreateSession, o =>
        {
            var x = o.Run.Need(o.Run.Create, "the plain Create was not answered");
            var sent = o.Run.Need(o.Run.CreateRequest?["patient_details"], "the Create sent no patient_details");
            if (!x.Accepted) throw o.Run.Unreached($"the plain Create answered {x.Status}, see CRE-01");
            var back = x.JsonObject?["patient_details"];
            return new Violations().When(!JsonNode.DeepEquals(sent, back), x,
                () => $"Expected: patient_details {Rules.Show(sent)}\nReceived: {(x.Has("patient_details") ? Rules.Show(back) : "(absent)")}"
                    + (x.Has("session_details") ? " (the body has session_details instead, as the Eka implementation does; CF-41)" : "")).Result();
        });

    public static readonly Check IdsNeverRepeated = new(
        "create-session.created.ids-distinct", "Every session_id the server makes (Create without session_id) is new: none is handed out twice in the run",
        new("CRE-09"), Scenario.All, o => Distinct(ServerMadeIds(o.All.SelectMany(r => r.Exchanges)), "in the whole run"));

    public static readonly Check ParallelIdsDistinct = new(
        "create-session.created.parallel-ids-distinct", $"{ScenarioDriver.ParallelCreates} Creates sent at the same time all get distinct session_ids",
        new("ISO-01"), Scenario.CreateSession, o =>
        {
            var answers = Enumerable.Range(0, ScenarioDriver.ParallelCreates).Select(i => Expect.Answered(o.Run, ScenarioDriver.ParallelCreate(i))).ToList();
            if (answers.Count(x => x.Accepted) < 2)
                throw new NotReached(Verdict.Inconclusive, $"fewer than two of the parallel Creates were accepted ({string.Join(", ", answers.Select(x => x.Status))})");
            return Distinct(ServerMadeIds(answers), $"among {answers.Count} parallel Creates");
        });

    [System.Text.RegularExpressions.GeneratedRegex("^ses_[a-zA-Z0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex SchemaSessionId();

    public static readonly Check IdsMatchSchemaPattern = new(
        "create-session.created.ids-match-pattern", "Every session_id the server makes matches ^ses_[a-zA-Z0-9]+$",
        new("CRE-13", "CF-09", Should), Scenario.All, o =>
        {
            var made = ServerMadeIds(o.All.SelectMany(r => r.Exchanges)).ToList();
            if (made.Count == 0) throw new NotReached(Verdict.Inconclusive, "Create Session never answered 201 to a body without session_id");
            var v = new Violations();
            foreach (var (x, id) in made)
                v.When(!SchemaSessionId().IsMatch(id), x, () => $"Expected: session_id matching ^ses_[a-zA-Z0-9]+$ (msa schema)\nReceived: \"{id}\"");
            return v.Result();
        });

    public static readonly Check UnknownTemplateRefusedOrReported = new(
        "create-session.unknown-template", "A Create naming an unknown template id is refused with a 4xx, or accepted and that template later reported failed",
        new("CRE-36"), Scenario.Partial, o =>
        {
            var x = o.Run.Need(o.Run.Create, "Create was not sent");
            if (!x.GotResponse) throw new NotReached(Verdict.Inconclusive, $"no answer: {x.TransportError}");
            if (x.Accepted)
                return CheckResult.Pass($"accepted; the session must then end 206 partial with '{o.Options.UnknownTemplate}' failed (get-session.outcomes.unknown-template-ends-partial, TPL-17).");
            var draft = o.Options.ProtocolProfile == ProtocolProfile.MsaDraft;
            var wanted = draft ? "201, or 400 invalid_template / 404 template_not_found (spec 11.2)" : "201, or a 4xx";
            var refusedAsWanted = draft
                ? (x.Status, x.ErrorCode()) is (400, "invalid_template") or (404, "template_not_found")
                : x.Status is >= 400 and < 500; // the envelope is ERR-01's
            return new Violations().When(!refusedAsWanted, x, () => $"Expected: {wanted} for templates [\"{o.Options.Templates[0]}\", \"{o.Options.UnknownTemplate}\"]\n"
                + $"Received: HTTP {x.Status}{(x.ErrorCode() is { } c ? $" ({c})" : "")}: {x.Excerpt(200)}").Result();
        });

    public static IReadOnlyList<Check> All => [.. Accepted, PatientDetailsEchoed, IdsNeverRepeated, ParallelIdsDistinct, IdsMatchSchemaPattern, UnknownTemplateRefusedOrReported];

    /// <summary>201 answers to Creates whose body named no session_id, with the id each handed out.</summary>
    private static IEnumerable<(Exchange X, string Id)> ServerMadeIds(IEnumerable<Exchange> exchanges) =>
        from x in exchanges
        where Rules.IsAcceptedCreate(x) && Rules.Text(x, "session_id") is not null && !ClientChosenId(x)
        select (x, Rules.Text(x, "session_id")!);

    private static bool ClientChosenId(Exchange x)
    {
        try { return x.RequestBody is { } body && JsonNode.Parse(body) is JsonObject o && o.ContainsKey("session_id"); }
        catch (System.Text.Json.JsonException) { return false; }
    }

    private static CheckResult Distinct(IEnumerable<(Exchange X, string Id)> made, string where)
    {
        var list = made.ToList();
        if (list.Count < 2) throw new NotReached(Verdict.Inconclusive, "fewer than two sessions were created with a server-made id");
        var v = new Violations();
        foreach (var repeated in list.GroupBy(m => m.Id).Where(g => g.Count() > 1))
            v.When(true, repeated.Skip(1).First().X, () => $"Expected: a new session_id for every Create {where}\n"
                + $"Received: \"{repeated.Key}\" handed out {repeated.Count()} times ({string.Join(", ", repeated.Select(r => r.X.Step))})");
        return v.Result($"{list.Count} server-made session ids {where}, all distinct.");
    }
}
