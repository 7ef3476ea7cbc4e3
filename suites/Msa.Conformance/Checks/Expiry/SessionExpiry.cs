using Msa.Conformance.Http;
using Msa.Conformance.Checks.Upload;
using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Expiry;

/// <summary>
/// Expiry: a session never ended expires at expires_at, and only then; afterwards it takes no audio and no End, and stays
/// 410 (seed 410 Expired; spec 6.5). The 410 answer itself is checked by get-session.pairing.expired and get-session.fields.410.
/// </summary>
public static class SessionExpiry
{
    /// <summary>The Expired run once it reached its 410; NotReached when expiry was not observed (then nothing after it proves anything).</summary>
    private static ScenarioRun Expired(Observations o)
    {
        var run = o.Run;
        var t = run.RequireTerminal();
        return t.Status == 410 ? run : throw run.Unreached($"the session was not reported expired ({t.Summary()}), so what follows expiry cannot be judged");
    }

    public static readonly Check NeverBeforeExpiresAt = new(
        "expiry.when.not-before-expires-at", "A session is never reported expired before its expires_at",
        new("EXP-06"), Scenario.All, o =>
        {
            var v = new Violations();
            var runs = o.All.Where(r => ServerClock.Parse(r.ExpiresAt) is not null && r.SessionGets.Any()).ToList();
            if (runs.Count == 0) throw new NotReached(Verdict.Inconclusive, "no session with a readable expires_at was read back");
            foreach (var r in runs)
            {
                var expiresAt = ServerClock.Parse(r.ExpiresAt)!.Value;
                foreach (var x in r.SessionGets.Where(x => x.GotResponse))
                    v.When((x.Status == 410 || x.BodyStatus == "expired") && ServerClock.LatestServerTime(r, x) is { } answeredBy && answeredBy < expiresAt, x,
                        () => $"Expected: no 410/expired before expires_at {r.ExpiresAt}\nReceived: {x.Status} \"{x.BodyStatus}\" by {ServerClock.LatestServerTime(r, x):O} at the latest (server clock, from created_at)");
            }
            return v.Result();
        });

    public static readonly Check UploadRefused = new(
        "expiry.after.upload-refused", "An upload to an expired session is refused with a 4xx",
        new("EXP-07"), Scenario.Expired, o =>
        {
            UploadLog.NotForPresigned(o.All, StorageAfterExpiry);
            return Expect.ClientError(Expired(o), Probe.UploadAfterExpiry, "an upload to an expired session");
        });

    private const string StorageAfterExpiry = "whether storage takes a PUT after expiry is the storage provider's answer (spec 7.8; its own expiry is SEC-12's), so none was sent";

    public static readonly Check UploadRefusedAs410 = new(
        "expiry.after.upload-410-session-expired", "That refusal is 410 session_expired",
        new("EXP-08"), Scenario.Expired, o =>
        {
            UploadLog.NotForPresigned(o.All, StorageAfterExpiry);
            return Expect.Refused(Expired(o), Probe.UploadAfterExpiry, Expect.Status410, "session_expired");
        });

    public static readonly Check EndRefused = new(
        "expiry.after.end-refused", "End of an expired session is refused with a 4xx and starts no processing (GET still 410)",
        new("EXP-09"), Scenario.Expired, o =>
        {
            var run = Expired(o);
            var end = Expect.Answered(run, Probe.EndAfterExpiry);
            var get = Expect.Answered(run, Probe.GetAfterExpiredEnd);
            var preferred = end.Status == 410 && end.ErrorCode() == "session_expired";
            return new Violations()
                .When(end.Status is < 400 or >= 500, end, () => $"Expected: a 4xx refusal (410 session_expired preferred)\nReceived: HTTP {end.Status}: {end.Excerpt(150)}")
                .When(get.Status != 410 || get.BodyStatus != "expired", get, () => $"Expected: GET still 410 expired after the End attempt\nReceived: {get.Status} \"{get.BodyStatus}\"")
                .Result($"{end.Summary()}{(preferred ? "" : " (410 session_expired is preferred)")}; {get.Summary()}.");
        });

    public static readonly Check StaysExpired = new(
        "expiry.when.stable", "Once expired, every later GET answers 410 expired again, never 404 or 202",
        new("EXP-12"), Scenario.Expired, o =>
        {
            var run = Expired(o);
            var later = run.AfterTerminal.Where(x => x.GotResponse).ToList();
            if (later.Count == 0) throw run.Unreached("no GET followed the first 410");
            var v = new Violations();
            foreach (var x in later)
                v.When(x.Status != 410 || x.BodyStatus != "expired", x, () => $"Expected: 410 \"expired\" again\nReceived: {x.Status} \"{x.BodyStatus}\"");
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [NeverBeforeExpiresAt, UploadRefused, UploadRefusedAs410, EndRefused, StaysExpired];
}
