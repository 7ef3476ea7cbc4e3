using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks.Upload;

/// <summary>
/// What the scenarios uploaded, read back from their exchanges: the driver names every upload step
/// "upload &lt;file_name&gt; …", so the chunk (and its sequence number) of each answer is known.
/// </summary>
public static partial class UploadLog
{
    [GeneratedRegex(@"^upload (?<file>\S+)")]
    private static partial Regex UploadStep();

    /// <summary>The file name an upload step sent, or null when the exchange is not an upload.</summary>
    public static string? FileOf(Exchange x) => UploadStep().Match(x.Step) is { Success: true } m ? m.Groups["file"].Value : null;

    /// <summary>Every upload answer of every scenario.</summary>
    public static IEnumerable<(ScenarioRun Run, Exchange X)> Answers(Observations o) =>
        o.All.SelectMany(r => r.Exchanges.Where(x => x.GotResponse && FileOf(x) is not null).Select(x => (r, x)));

    /// <summary>An upload PUT to a presigned storage URL (the scribe API's own endpoint is always POSTed to).</summary>
    public static bool ToStorage(Exchange x) => x.Method == "PUT" && FileOf(x) is not null;

    /// <summary>The presigned upload_url a Create of this run handed out (as recorded), or null when they were the API's own.</summary>
    public static string? PresignedUploadUrl(ScenarioRun run) =>
        run.Exchanges.Where(x => x.Accepted && ScenarioDriver.IsAttemptOf(x.Step, "create")).Select(x => x.Text("upload_url")).FirstOrDefault(PresignedUrl.Is);

    /// <summary>
    /// Not applicable when the run's sessions take their audio at a presigned storage URL: then `what` is answered by the
    /// storage provider in its own format (spec 7.8), or has no scribe endpoint at all, and UPL-05 judges the uploads.
    /// </summary>
    public static void NotForPresigned(ScenarioRun run, string what) => NotForPresigned([run], what);

    public static void NotForPresigned(IEnumerable<ScenarioRun> runs, string what)
    {
        if (runs.Select(PresignedUploadUrl).FirstOrDefault(u => u is not null) is { } url)
            throw new NotReached(Verdict.NotApplicable, $"upload_url is a presigned storage URL ({Redactor.Scrub(PresignedUrl.WithoutQuery(url))}?…): {what}; see UPL-05");
    }

    /// <summary>The distinct sequence numbers the server accepted for the run's session before its End, ascending.</summary>
    public static IReadOnlyList<int> AcceptedBeforeEnd(ScenarioRun run)
    {
        return run.Exchanges.TakeWhile(x => x != run.End).Where(x => x.Accepted)
            .Select(x => FileOf(x) is { } f ? AudioFixtures.SequenceOf(f) : null).OfType<int>().Distinct().Order().ToList();
    }

    /// <summary>The session an upload went to: the created session whose upload_url the request URL starts with.</summary>
    public static string? SessionOf(ScenarioRun run, Exchange upload) =>
        run.Exchanges.Where(x => x.Step == "create" && x.Accepted)
            .Select(x => (Url: x.Text("upload_url"), Id: x.Text("session_id")))
            // Without the query: a presigned URL's signature sits after the object's name, and reports mask it.
            .FirstOrDefault(c => c.Url is not null && upload.Url.StartsWith(PresignedUrl.WithoutQuery(c.Url), StringComparison.Ordinal)).Id
        ?? AddressedSession(upload);

    /// <summary>The id in a request path …/sessions/{id}[/…], unescaped; null when the URL has none.</summary>
    public static string? AddressedSession(Exchange x)
    {
        var path = Uri.TryCreate(x.Url, UriKind.Absolute, out var u) ? u.AbsolutePath : x.Url;
        var at = path.LastIndexOf("/sessions/", StringComparison.Ordinal);
        return at < 0 ? null : Uri.UnescapeDataString(path[(at + "/sessions/".Length)..].Split('/')[0]);
    }

    /// <summary>The sequence number of each audio_files entry (null where a name carries none); null when not a list.</summary>
    public static List<int?>? Sequences(JsonNode? audioFiles) =>
        audioFiles is JsonArray files ? files.Select(f => f is JsonValue v && v.TryGetValue<string>(out var name) ? AudioFixtures.SequenceOf(name) : null).ToList() : null;

    /// <summary>
    /// Null when the entries of `audioFiles` that name one of the `accepted` sequence numbers come in ascending order;
    /// otherwise what is wrong. Order only: which chunks are listed, and how many, are other rows' (END-06, ISO-02, GET-FLD-30).
    /// </summary>
    public static string? SequenceOrderProblem(JsonNode? audioFiles, IReadOnlyList<int> accepted)
    {
        var got = Sequences(audioFiles);
        if (got is null) return $"audio_files is {Rules.Show(audioFiles)}, not a list";
        var own = got.OfType<int>().Where(accepted.Contains).Distinct().ToList(); // a chunk listed twice is END-06's / ISO-03's
        return own.Zip(own.Skip(1)).All(p => p.First < p.Second) ? null
            : $"audio_files {Rules.Show(audioFiles)} lists the accepted chunks as [{string.Join(", ", own)}], not in sequence order [{string.Join(", ", accepted)}]";
    }

    /// <summary>Null when `audioFiles` names exactly the `accepted` sequence numbers, ascending; otherwise what is wrong.</summary>
    public static string? OrderProblem(JsonNode? audioFiles, IReadOnlyList<int> accepted)
    {
        var got = Sequences(audioFiles);
        if (got is null) return $"audio_files is {Rules.Show(audioFiles)}, not a list";
        if (got.SequenceEqual(accepted.Select(n => (int?)n))) return null;
        return $"audio_files {Rules.Show(audioFiles)} names sequence numbers [{string.Join(", ", got.Select(n => n?.ToString() ?? "?"))}], "
            + $"not the accepted chunks in sequence order [{string.Join(", ", accepted)}]";
    }
}
