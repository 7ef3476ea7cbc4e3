using System.Net;
using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>
/// The variation table (tests/Msa.ReferenceServer/Variations.cs) read as one proof: a conforming server that shows a
/// legitimate variation gets, check by check, the verdict the clean server gets. No check fails (no MUST fails, no
/// SHOULD or MAY warns); the only differences allowed are the non-verdicts of <see cref="MayBecomeNonVerdict"/>, where a
/// variation removes the feature a check observes. Each run also proves the variation was really on the wire.
/// </summary>
[TestFixture]
public class VariationTests
{
    private static IEnumerable<TestCaseData> Runs => VariationCatalog.All.SelectMany(v => VariationCatalog.ProfilesOf(v).Select(p =>
        new TestCaseData(new[] { v }, p).SetName($"{v} ({p}) moves no verdict")))
        .Concat(Enum.GetValues<ServerProfile>().Select(p => new TestCaseData(InProfile(p), p).SetName($"All variations at once ({p}) move no verdict")));

    /// <summary>
    /// The variations meaningful in this profile, to be shown together: all but UnknownTemplateRefusedAtCreate, which would
    /// take away the partial state FailedTemplateDataNull shows itself in.
    /// </summary>
    private static Variation[] InProfile(ServerProfile profile) => VariationCatalog.All
        .Where(v => VariationCatalog.ProfilesOf(v).Contains(profile) && v != Variation.UnknownTemplateRefusedAtCreate).ToArray();

    /// <summary>
    /// What may differ from the clean server, per variation: a check may end NotApplicable or Inconclusive (never Failed,
    /// never Error) when the variation takes away what it observes, and only then.
    /// NullableFieldsNull (ekascribe): the checks of GET-FLD-09, GET-FLD-10 and GET-FLD-12, which judge completed_at,
    /// model_used and language_detected "when non-null": the variation leaves no non-null value to judge.
    /// NoWebhooksAdvertised: the webhook area's checks, and DISC-15's (webhooks_url is required only when webhook_delivery is true).
    /// UnknownTemplateRefusedAtCreate: the checks that read only the partial scenario, and any other check whose non-verdict
    /// says it is because the partial scenario stopped at Create's refusal (no session ever becomes partial, CF-31).
    /// PresignedUploads: the checks of what the API's own upload endpoint answers (<see cref="StorageAnswers"/>), which say
    /// so; and UPL-05 moves from not applicable to passed (<see cref="MustPass"/>).
    /// Every other variation: nothing.
    /// </summary>
    public static bool MayBecomeNonVerdict(Variation variation, Check check, CheckResult result) =>
        result.Verdict is Verdict.NotApplicable or Verdict.Inconclusive && variation switch
        {
            Variation.NullableFieldsNull => check.RequirementIds.Intersect(["GET-FLD-09", "GET-FLD-10", "GET-FLD-12"]).Any(),
            Variation.NoWebhooksAdvertised => Catalogue.Webhooks.Contains(check) || check.Requirement.Id == "DISC-15",
            Variation.UnknownTemplateRefusedAtCreate => check.Scenario == Scenario.Partial
                || result.Message.StartsWith("Partial scenario: Create Session refused the unknown template", StringComparison.Ordinal),
            Variation.PresignedUploads => result.Verdict == Verdict.NotApplicable && result.Message.Contains("upload_url is a presigned storage URL")
                && check.RequirementIds.Intersect(StorageAnswers).Any(),
            _ => false,
        };

    /// <summary>Rows judged on the API upload endpoint's answers: multipart, type, unknown session, after End, after expiry, chunk_too_large.</summary>
    private static readonly string[] StorageAnswers = ["UPL-03", "UPL-08", "UPL-13", "UPL-14", "EXP-07", "EXP-08", "ERR-07", "ERR-08"];

    /// <summary>The checks a variation brings to a verdict the clean server cannot give them, and must: they pass.</summary>
    public static IEnumerable<Check> MustPass(Variation variation) => variation switch
    {
        Variation.PresignedUploads => [Msa.Conformance.Checks.Upload.UploadAccepted.PresignedPutAccepted],
        _ => [],
    };

    [TestCaseSource(nameof(Runs))]
    public async Task VariationMovesNoVerdict(Variation[] variations, ServerProfile profile)
    {
        var (results, runs) = await CheckRuns.EvaluateAllAsync(() => TestServers.ScenariosAsync(profile, CheckRuns.CleanRunLifetime, variations));
        var variation = string.Join(" + ", variations);
        var failed = Catalogue.All.Where(c => results[c.Id].Verdict == Verdict.Failed)
            .Select(c => $"{c.Id} ({c.Requirement.Id}, {c.Requirement.Level}): {results[c.Id].Message}");
        var mustPass = variations.SelectMany(MustPass).ToHashSet();
        var moved = Catalogue.All.Where(c => results[c.Id].Verdict != Verdict.Failed
                && results[c.Id].Verdict != (mustPass.Contains(c) ? Verdict.Passed : CheckRuns.CleanVerdict(c, profile)))
            .Where(c => !variations.Any(v => MayBecomeNonVerdict(v, c, results[c.Id])))
            .Select(c => $"{c.Id}: {results[c.Id].Verdict} (clean server: {CheckRuns.CleanVerdict(c, profile)}): {results[c.Id].Message}");
        foreach (var line in failed.Concat(moved)) TestContext.Out.WriteLine(line);
        var exchanges = runs.SelectMany(r => r.Exchanges).ToList();
        var unknownTemplate = new HarnessOptions().UnknownTemplate; // the default TestServers.OptionsFor keeps
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Empty, $"checks that failed or warned against a server with the legitimate variation {variation}");
            Assert.That(moved, Is.Empty, $"checks whose verdict {variation} moved without leave");
            Assert.That(variations.Where(v => !Visible(v, profile, exchanges, unknownTemplate)), Is.Empty, "variations not seen in any answer of the run");
        });
    }

    /// <summary>Some answer of the run shows the variation, so a passing run proves the harness met it.</summary>
    private static bool Visible(Variation variation, ServerProfile profile, IReadOnlyList<Exchange> exchanges, string unknownTemplate)
    {
        var bodies = exchanges.Select(x => x.JsonObject).OfType<JsonObject>().ToList();
        return variation switch
        {
            Variation.NullableFieldsNull => bodies.Any(b => b.TryGetPropertyValue("completed_at", out var c) && c is null),
            Variation.FailedTemplateDataNull => bodies.Any(b => TemplateEntries(b).Any(e => e["status"]?.ToString() == "failed"
                && e.TryGetPropertyValue("data", out var d) && d is null)),
            Variation.OffsetTimestamps => bodies.Any(b => System.Text.RegularExpressions.Regex.IsMatch(b["created_at"]?.ToString() ?? "", @"\.\d{9}\+05:30$")),
            Variation.CharsetInContentType => exchanges.Any(x => x.ContentType?.Contains("Charset=\"UTF-8\"", StringComparison.Ordinal) == true),
            Variation.Gzip => exchanges.Any(x => x.Header("Vary")?.Contains("Accept-Encoding") == true),
            Variation.ChunkedTransfer => exchanges.Any(x => x.Header("Transfer-Encoding")?.Contains("chunked") == true && x.Header("Content-Length") is null),
            Variation.VendorExtraFields => bodies.Any(b => b.ContainsKey("x_vendor_trace"))
                && bodies.Any(b => b["error"] is JsonObject e && e.ContainsKey("x_vendor_hint"))
                && bodies.Any(b => TemplateEntries(b).Any(e => e.ContainsKey("x_vendor_rank"))),
            Variation.NoWebhooksAdvertised => bodies.Any(b => b["capabilities"]?["webhook_delivery"]?.GetValue<bool>() == false),
            Variation.UnknownTemplateRefusedAtCreate => exchanges.Any(x => x.Status == 400 && x.ErrorCode() == "invalid_template"
                && x.RequestBody?.Contains(unknownTemplate) == true),
            Variation.PresignedUploads => exchanges.Any(x => x.Method == "PUT" && x.Status == 200 && x.Url.Contains("X-Amz-Signature=[REDACTED]")),
            Variation.RepeatedTemplateIds => profile == ServerProfile.Ekascribe
                && bodies.Any(b => TemplateEntries(b).Any(e => e["document_id"]?.ToString().EndsWith("_2") == true)),
            _ => throw new ArgumentOutOfRangeException(nameof(variation), variation, "no visibility rule"),
        };
    }

    private static IEnumerable<JsonObject> TemplateEntries(JsonObject body) => body["templates"] switch
    {
        JsonArray list => list.OfType<JsonObject>().Where(e => e.Count == 1).Select(e => e.First().Value).OfType<JsonObject>(),
        JsonObject map => map.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    [Test]
    public void EveryVariationSaysWhatItDoesAndWhyTheProtocolAllowsIt()
    {
        var problems = VariationCatalog.All.Select(v => (v, a: VariationCatalog.Of(v)))
            .Where(p => string.IsNullOrWhiteSpace(p.a.Description)
                || !(p.a.AllowedBy.Contains("seed") || p.a.AllowedBy.Contains("requirements.md") || p.a.AllowedBy.Contains("RFC")))
            .Select(p => p.v.ToString());
        Assert.That(problems, Is.Empty, "variations without a description or without the text that allows them");
    }

    /// <summary>The transport variations are checked on the raw wire, below the harness's decompressing client.</summary>
    [Test]
    public async Task GzipAndChunkedAreOnTheWireAndPlainWhenGzipIsNotOffered()
    {
        await using var server = await TestServers.StartAsync(ServerProfile.Ekascribe, TestServers.LongLifetime,
            [Variation.Gzip, Variation.ChunkedTransfer, Variation.CharsetInContentType]);
        using var raw = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        var url = $"{server.ServiceRoot}/.well-known/medscribealliance";

        using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { "Accept-Encoding", "gzip" } } };
        using var gzipped = await raw.SendAsync(gzipRequest);
        var gzippedBytes = await gzipped.Content.ReadAsByteArrayAsync();

        using var plain = await raw.GetAsync(url);
        var plainText = await plain.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(gzipped.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
            Assert.That(gzippedBytes[..2], Is.EqualTo(new byte[] { 0x1f, 0x8b }), "a gzip stream");
            Assert.That(gzipped.Headers.TransferEncodingChunked, Is.True);
            Assert.That(gzipped.Content.Headers.NonValidated.Contains("Content-Length"), Is.False, "no Content-Length");
            Assert.That(plain.Content.Headers.ContentEncoding, Is.Empty);
            Assert.That(JsonNode.Parse(plainText)?["protocol"]?.ToString(), Is.EqualTo("medscribealliance"));
            Assert.That(plain.Content.Headers.ContentType?.ToString(), Is.EqualTo("Application/JSON; Charset=\"UTF-8\""));
        });
    }
}
