using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.CreateSession;

/// <summary>
/// Create Session refuses bad bodies with 400 or 422 and the error envelope, never with a 5xx and never with 201
/// (eka create-session: 400 invalid request, 422 validation error; CF-55: both accepted). One row per bad body: the
/// CreateSession scenario sends each (the valid body with one thing wrong), and each row is one check.
/// </summary>
public static class CreateSessionRefusals
{
    /// <summary>What a row builds its body from: the body the server must accept, and what discovery advertises.</summary>
    public sealed record BodyInput(JsonObject Valid, Capabilities Capabilities, HarnessOptions Options);

    /// <summary>One bad body: what is wrong with it (a phrase after "a body …"), the requirement, and how to make it.</summary>
    public sealed record BadBody(string Slug, string What, Requirement Requirement, Func<BodyInput, string> Body)
    {
        /// <summary>When set, only 400 with this error.code will do (the requirement names both); otherwise 400 or 422 with any code.</summary>
        public string? RequiredCode { get; init; }
        public int[] Statuses => RequiredCode is null ? [400, 422] : [400];
        /// <summary>Why this body cannot be tried against a server advertising these capabilities; null = it can.</summary>
        public Func<Capabilities, string?> NotApplicable { get; init; } = _ => null;
        public bool AppliesTo(ProtocolProfile profile) => Requirement.AppliesTo(Requirement.Profile, profile);
    }

    private static readonly string[] UploadTypes = ["chunked", "single", "stream"];
    private const string UnknownModel = "msa_conformance_unknown_model";

    public static readonly IReadOnlyList<BadBody> Rows =
    [
        new("not-json", "that is not valid JSON (a truncated document)", new("CRE-34"),
            b => b.Valid.ToJsonString()[..^12]),
        new("missing-upload-type", "without upload_type", new("CRE-16", "CF-12", profile: ProtocolProfile.Ekascribe),
            b => Without(b.Valid, "upload_type")),
        // CF-12: spec 6.2 defaults upload_type, so its absence is only a warning in msa-draft.
        new("missing-upload-type-draft", "without upload_type", new("CRE-16", "CF-12", Should, ProtocolProfile.MsaDraft),
            b => Without(b.Valid, "upload_type")),
        new("templates-not-list", "whose templates is a string, not a list", new("CRE-35"),
            b => With(b.Valid, "templates", b.Options.Templates[0])),
        new("upload-type-number", "whose upload_type is a number", new("CRE-35"),
            b => With(b.Valid, "upload_type", 3)),
        new("upload-type-unknown", "with upload_type \"batch\" (not chunked, single or stream)", new("CRE-21"),
            b => With(b.Valid, "upload_type", "batch")),
        new("upload-type-not-advertised", "with an upload_type discovery does not advertise", new("CRE-38"),
            b => With(b.Valid, "upload_type", NotAdvertised(b.Capabilities)!))
        {
            NotApplicable = c => NotAdvertised(c) is null ? "discovery advertises single and stream, so no upload_type but chunked (which every server takes) can be refused for not being advertised" : null,
        },
        new("model-unknown", $"with model \"{UnknownModel}\", which discovery does not list", new("CRE-23"),
            b => With(b.Valid, "model", UnknownModel)),
        new("three-templates", "with three templates (at most two are allowed)", new("CRE-20"),
            b => With(b.Valid, "templates", new JsonArray(Enumerable.Range(0, 3).Select(i => (JsonNode)b.Options.Templates[i % b.Options.Templates.Length]).ToArray()))),
        new("session-id-15-chars", "with a client session_id of 15 characters", new("CRE-15"),
            b => With(b.Valid, "session_id", RandomId(15))),
        new("session-id-33-chars", "with a client session_id of 33 characters", new("CRE-15"),
            b => With(b.Valid, "session_id", RandomId(33))),
        // communication_protocol and session_mode values (CRE-17, CRE-22, CRE-30).
        new("missing-communication-protocol", "without communication_protocol", new("CRE-17", "CF-12", Should),
            b => Without(b.Valid, "communication_protocol")),
        new("communication-protocol-unknown", "with communication_protocol \"ftp\" (not websocket, http or rpc)", new("CRE-22"),
            b => With(b.Valid, "communication_protocol", "ftp")),
        new("session-mode-unknown", "with session_mode \"lecture\" (not consultation or dictation)", new("CRE-30"),
            b => With(b.Valid, "session_mode", "lecture")),
        new("missing-templates", "without templates", new("CRE-19"),
            b => Without(b.Valid, "templates")) { RequiredCode = "missing_required_field" },
        new("additional-data-list", "whose additional_data is a list, not an object", new("ADD-10"),
            b => With(b.Valid, "additional_data", new JsonArray("conformance"))),
    ];

    public static readonly IReadOnlyList<Check> All = Rows.Select(row => new Check(
        $"create-session.refuses.{row.Slug}", $"Create Session refuses a body {row.What} with {Wanted(row)}",
        row.Requirement, Scenario.CreateSession, o =>
        {
            if (row.NotApplicable(o.Capabilities) is { } why) throw new NotReached(Verdict.NotApplicable, why);
            var x = o.Run.Need(o.Run.Probes.GetValueOrDefault(ProbeNames.BadBody(row.Slug)), "the bad body was not sent");
            if (!x.GotResponse) throw new NotReached(Verdict.Inconclusive, $"no answer: {x.TransportError}");
            Expect.BaselineAccepted(o.Run);
            // The row names the status (and sometimes the code); whether the body is the error envelope is ERR-01's finding.
            List<string> problems = row.Statuses.Contains(x.Status)
                ? row.RequiredCode is { } code && Expect.CodeProblem(x, code) is { } wrong ? [wrong] : []
                : [x.Status switch
                {
                    >= 200 and < 300 => $"HTTP {x.Status}: the server accepted it",
                    >= 500 => $"HTTP {x.Status}: a server error, never the answer to a client's mistake",
                    _ => $"HTTP {x.Status}",
                }];
            return new Violations().When(problems.Count > 0, x,
                () => $"Expected: {Wanted(row)} for a body {row.What}\nReceived: {string.Join("; ", problems)}; body: {x.Excerpt(200)}")
                .Result($"{x.Summary()}: refused{(x.ErrorCode() is { } c ? $" ({c})" : "")}; the error body is judged by ERR-01/ERR-02 (see those rows).");
        })).ToList();

    private static string Wanted(BadBody row) => row.RequiredCode is { } code
        ? $"400 and error.code \"{code}\""
        : "400 or 422";

    private static string With(JsonObject body, string field, JsonNode value)
    {
        body[field] = value;
        return body.ToJsonString();
    }

    private static string Without(JsonObject body, string field)
    {
        body.Remove(field);
        return body.ToJsonString();
    }

    /// <summary>A valid upload_type discovery leaves out; never chunked, which every server takes (a discovery that omits it is DISC-24's).</summary>
    private static string? NotAdvertised(Capabilities c) => UploadTypes.FirstOrDefault(t => t != "chunked" && !c.Declares(Feature.UploadMethod, t));

    private static string RandomId(int length) => ("msa-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(length)))[..length];
}
