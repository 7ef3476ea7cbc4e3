using System.Text.Json.Nodes;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks;

/// <summary>Expectations about single probes and error answers, shared by the upload, End, expiry and auth areas.</summary>
public static class Expect
{
    /// <summary>The probe a scenario kept under `key`, answered; otherwise a NotReached that says why there is none.</summary>
    public static Exchange Answered(ScenarioRun run, string key)
    {
        var x = run.Need(run.Probes.GetValueOrDefault(key), $"the '{key}' request was not made");
        if (!x.GotResponse) throw new NotReached(Verdict.Inconclusive, $"{run.Scenario} scenario: '{key}' got no answer ({x.TransportError})");
        if (x.AnswersAnotherSession) throw new NotReached(Verdict.Inconclusive, $"{run.Scenario} scenario: '{key}' was answered with another session (see GET-PAIR-17, ISO-12)");
        return NotRefusedCredential(x);
    }

    /// <summary>The exchange, unless the server refused the run's own credential on it: then nothing it answers is about this row (see AUTH-05/AUTH-06).</summary>
    public static Exchange NotRefusedCredential(Exchange x) => x.SentCredential && x.Status == 401
        ? throw new NotReached(Verdict.Inconclusive, $"{x.Summary()}: the server refused the run's own credential on this request, so it was not judged (see AUTH-05, AUTH-06)")
        : x;

    /// <summary>
    /// The scenario's plain Create, accepted: the baseline a probe that changes one thing is read against. When even it
    /// was not accepted, what the probe got says nothing about the change (CRE-01 judges the plain Create).
    /// </summary>
    /// <summary>Not applicable, saying how to give one, when the run has no key of another client (ISO-04, ISO-10, ISO-11).</summary>
    public static void OtherTenantKeyGiven(Observations o)
    {
        if (o.Options.OtherTenantToken.Length == 0)
            throw new NotReached(Verdict.NotApplicable, "no key of another client was given (set MSA_OtherTenantToken to a valid key of a second tenant to check this)");
    }

    public static void BaselineAccepted(ScenarioRun run)
    {
        var plain = run.Need(run.Create, "the plain Create was not sent");
        if (!plain.Accepted)
            throw new NotReached(Verdict.Inconclusive, $"not reached: the plain Create, without this change, was not accepted either ({plain.Summary()}; see CRE-01)");
    }

    /// <summary>
    /// The Create made a session of its own: when it handed out an id another Create of the run already got, what is
    /// read of "its" session is the other one's (CRE-09 judges the repeat).
    /// </summary>
    public static Exchange OwnSession(Exchange create) => create.RepeatsSessionIdOf is { } owner
        ? throw new NotReached(Verdict.Inconclusive, $"not reached: {create.Summary()} handed out session_id '{create.Text("session_id")}', which {owner} already got, so it has no session of its own (see CRE-09)")
        : create;

    /// <summary>Null when `x` carries error.code `code` (spelling aside: ERR-02's); a problem otherwise; NotReached when no code can be read (ERR-01's).</summary>
    public static string? CodeProblem(Exchange x, string code)
    {
        var got = x.ErrorCode();
        if (got is null)
            throw new NotReached(Verdict.Inconclusive, $"{x.Summary()}: the status is right, but error.code cannot be read "
                + $"({string.Join("; ", EnvelopeShape(x)).TrimEnd('.')}), so whether it is \"{code}\" is unknown: see ERR-01");
        return got.Equals(code, StringComparison.OrdinalIgnoreCase) ? null : $"error.code \"{got}\"";
    }

    /// <summary>error.code of an error envelope, or null.</summary>
    public static string? ErrorCode(this Exchange x) =>
        x.JsonObject?["error"] is JsonObject e && e["code"] is JsonValue c && c.TryGetValue<string>(out var code) ? code : null;

    /// <summary>
    /// The one envelope helper: what keeps the body from being {"error":{"code": string, "message": string}} (extra
    /// members allowed, CF-64); with `asJson`, also a Content-Type other than application/json, for the rows that say so.
    /// How the code is spelt (ERR-02) and whether the message is empty (ERR-03) are those rows' findings, not this one's.
    /// </summary>
    public static IReadOnlyList<string> EnvelopeProblems(Exchange x, bool asJson = false)
    {
        var contentType = asJson && !x.IsJsonContentType ? [$"Content-Type is '{x.ContentType ?? "(none)"}', not application/json"] : Array.Empty<string>();
        return [.. contentType, .. EnvelopeShape(x)];
    }

    private static IReadOnlyList<string> EnvelopeShape(Exchange x)
    {
        if (x.JsonObject is not { } body) return [$"the body is not a JSON object ({x.JsonError ?? "it is " + x.Json?.GetValueKind()})"];
        if (body["error"] is not JsonObject error) return [$"no \"error\" object (top-level keys: {string.Join(", ", body.Select(p => p.Key))})"];
        var problems = new List<string>();
        foreach (var field in new[] { "code", "message" })
            if (error[field] is not JsonValue v || !v.TryGetValue<string>(out _))
                problems.Add($"error.{field} is {(error.ContainsKey(field) ? Rules.Show(error[field]) : "missing")}, not a string");
        return problems;
    }

    /// <summary>
    /// The probe was refused with one of `statuses`, and with `code` (compared ignoring case) when one is given;
    /// with `envelope`, in the error envelope, for the rows whose statement says so.
    /// `passNote` is added to the pass message (e.g. which of several allowed answers came).
    /// </summary>
    public static CheckResult Refused(ScenarioRun run, string key, int[] statuses, string? code, string? passNote = null, bool envelope = false)
    {
        var x = Answered(run, key);
        var problems = new List<string>();
        if (!statuses.Contains(x.Status)) problems.Add($"HTTP {x.Status}");
        // Rows whose statement names the envelope itself (e.g. END-08) judge its shape; the others leave it to ERR-01.
        if (envelope) problems.AddRange(EnvelopeShape(x));
        var got = x.ErrorCode();
        // The code is read from the envelope (a body that is not one is ERR-01's finding); its spelling is ERR-02's.
        if (code is not null && problems.Count == 0 && CodeProblem(x, code) is { } wrong) problems.Add(wrong);
        var spelling = code is not null && got is not null && got != code ? $" (spelt \"{got}\": see ERR-02)" : "";
        var wanted = $"HTTP {string.Join(" or ", statuses)}{(code is null ? "" : $" with error.code \"{code}\"")}";
        return new Violations().When(problems.Count > 0, x, () => $"Expected: {wanted}\nReceived: {string.Join("; ", problems)}; body: {x.Excerpt(200)}")
            .Result($"{x.Summary()}: {wanted}{spelling}.{(passNote is null ? "" : " " + passNote)}");
    }

    /// <summary>Any 4xx for the probe (the request must be refused; how is another check's business).</summary>
    public static CheckResult ClientError(ScenarioRun run, string key, string what)
    {
        var x = Answered(run, key);
        return new Violations().When(x.Status is < 400 or >= 500, x,
                () => $"Expected: a 4xx refusal of {what}\nReceived: HTTP {x.Status}: {x.Excerpt(200)}")
            .Result($"{x.Summary()}: {what} refused{(x.ErrorCode() is { } c ? $" ({c})" : "")}.");
    }

    public static readonly int[] Status400 = [400];
    public static readonly int[] Status404 = [404];
    public static readonly int[] Status410 = [410];
    public static readonly int[] Status413 = [413];
}
