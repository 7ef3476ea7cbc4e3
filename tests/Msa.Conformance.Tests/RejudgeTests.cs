using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Reporting;
using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>
/// observations.json holds all a check reads: judging it again offline gives every check the verdict the live run
/// gave, against the clean servers and against faults chosen where masking, the unstored webhook secret or the TLS record could change
/// a verdict (template data's type, transcripts, patient_details, signatures, a listed secret).
/// </summary>
[TestFixture]
public class RejudgeTests
{
    public static IEnumerable<TestCaseData> Servers()
    {
        yield return new TestCaseData(ServerProfile.Ekascribe, null).SetName("Rejudge · clean ekascribe server");
        yield return new TestCaseData(ServerProfile.MsaDraft, null).SetName("Rejudge · clean msa-draft server");
        // Presigned uploads: the signatures are masked in the file, and the masked URLs still tie each chunk to its session.
        yield return new TestCaseData(ServerProfile.MsaDraft, null, Variation.PresignedUploads).SetName("Rejudge · presigned uploads (msa-draft)");
        foreach (var fault in new[]
                 {
                     Fault.TemplatesAsMap, Fault.TemplateDataAsString, Fault.CompletedTranscriptEmpty, Fault.ExpiredCarriesTranscript,
                     Fault.PatientDetailsMissingWhilePending, Fault.CreatedWithoutPatientDetails, Fault.WebhookSignatureWrong,
                     Fault.WebhookListShowsSecret, Fault.WebhookNotificationCarriesTranscript, Fault.ExpiredAs404, Fault.CertificateExpiresSoon,
                 })
        {
            var profile = KillMatrix.ProfilesOf(fault)[0];
            yield return new TestCaseData(profile, fault).SetName($"Rejudge · {fault} ({profile})");
        }
    }

    [TestCaseSource(nameof(Servers))]
    public async Task ReJudgingTheRecordedObservationsGivesEveryCheckTheLiveVerdict(ServerProfile profile, Fault? fault, Variation? variation = null)
    {
        ScenarioSet? scenarios = null;
        var (live, runs) = await CheckRuns.EvaluateAllAsync(async () =>
        {
            var started = variation is { } v ? await TestServers.ScenariosAsync(profile, CheckRuns.CleanRunLifetime, [v])
                : await TestServers.ScenariosAsync(profile, CheckRuns.CleanRunLifetime, faults: fault is { } f ? [f] : []);
            scenarios = started.Scenarios;
            return started;
        });
        var target = scenarios!.Target;
        var json = ObservationFile.ToJson(runs, target.Discovery, target.DiscoveryUrl, target.Options, "self-test");
        var dir = Directory.CreateTempSubdirectory("msa-rejudge-").FullName;
        File.WriteAllText(Path.Combine(dir, ObservationFile.FileName), json);

        var bundle = ObservationFile.Read(dir);
        var changed = Catalogue.All
            .Select(c => (c.Id, Live: live[c.Id], Again: ScenarioSet.Evaluate(c, ScenarioSet.ObservationsFor(c, bundle.Runs, bundle.Options, bundle.Discovery))))
            .Where(p => p.Live.Verdict != p.Again.Verdict)
            .Select(p => $"{p.Id}: live {p.Live.Verdict}, re-judged {p.Again.Verdict}\n  live: {First(p.Live.Message)}\n  again: {First(p.Again.Message)}")
            .ToList();
        var webhookSecret = runs.Select(r => r.Webhooks?.Secret).OfType<string>().Single();
        var transcripts = runs.SelectMany(r => r.Exchanges).Select(x => Rules.Text(x, "transcript")).OfType<string>().Where(t => t.Length > 12).Distinct().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.Empty, "checks whose verdict differs when judged from observations.json");
            Assert.That(live.Values.Count(r => r.Verdict == Verdict.Passed), Is.GreaterThan(100), "the live run reached its verdicts");
            Assert.That(json, Does.Not.Contain(target.Options.Token), "the credential");
            Assert.That(json, Does.Not.Contain(webhookSecret), "the webhook secret");
            Assert.That(System.Text.RegularExpressions.Regex.IsMatch(json, "X-Amz-Signature=[0-9a-f]{16}"), Is.False, "a presigned URL's signature");
            Assert.That(transcripts, Is.Not.Empty, "the server produced transcripts");
            Assert.That(transcripts.Where(t => json.Contains(t, StringComparison.Ordinal)), Is.Empty, "transcripts are masked in the file");
        });
    }

    /// <summary>The command line: the failing run's directory judged again gives the same verdicts and exit code, and says who observed and who judged.</summary>
    [Test]
    public async Task RunShRejudgeGivesTheLiveRunsVerdictsAndNamesBothHarnesses()
    {
        var live = await CommandLineTests.DefectRun.Value;
        var again = await CommandLineTests.RunAsync(null, "--rejudge", live.ReportDir);
        Assert.That(again.ExitCode, Is.EqualTo(live.ExitCode), again.Stdout + again.Stderr);
        var statuses = (CommandLineTests.CliRun r) => r.Summary["checks"]!.AsArray().ToDictionary(c => (string)c!["id"]!, c => (string)c!["status"]!);
        Assert.Multiple(() =>
        {
            Assert.That(statuses(again), Is.EqualTo(statuses(live)), "every check's status");
            Assert.That(again.Stdout, Does.Contain("offline (no request is sent)"));
            Assert.That((string?)again.Summary["rejudged_from"], Is.EqualTo(Path.GetFullPath(live.ReportDir)));
            Assert.That((string?)again.Summary["observed_by"]?["harness_version"], Is.EqualTo((string?)live.Summary["harness_version"]));
            Assert.That((string?)again.Summary["observed_by"]?["at"], Is.Not.Null.And.Not.Empty);
            Assert.That(File.ReadAllText(Path.Combine(again.ReportDir, "conformance-report.html")), Does.Contain("judged by MSA Conformance").And.Contain("observed by MSA Conformance"));
            Assert.That(File.Exists(Path.Combine(again.ReportDir, "allure-report", "index.html")), "the HTML report is rendered again");
            Assert.That(File.ReadAllText(Path.Combine(again.ReportDir, ObservationFile.FileName)), Is.EqualTo(File.ReadAllText(Path.Combine(live.ReportDir, ObservationFile.FileName))),
                "the judged observations travel with the verdicts");
        });
    }

    [Test]
    public async Task RunShRejudgeOfADirectoryWithoutObservationsExitsTwoWithOneMessage()
    {
        var empty = Directory.CreateTempSubdirectory("msa-rejudge-empty-").FullName;
        var run = await CommandLineTests.RunAsync(null, "--rejudge", empty);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2));
            Assert.That(run.Stderr, Does.Contain("Cannot re-judge").And.Contain("holds no observations.json"));
            Assert.That(run.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), run.Stderr);
        });
    }

    [Test]
    public void AFileOfAnotherFormatVersionIsRefusedWithAMessageThatSaysWhatToDo()
    {
        var dir = Directory.CreateTempSubdirectory("msa-rejudge-old-").FullName;
        File.WriteAllText(Path.Combine(dir, ObservationFile.FileName), new JsonObject
        {
            ["format"] = ObservationFile.Format, ["format_version"] = 0, ["observed_by"] = "0.0.9",
        }.ToJsonString());
        var e = Assert.Throws<ObservationFileError>(() => ObservationFile.Read(dir))!;
        Assert.That(e.Message, Does.Contain("format version 0").And.Contain("0.0.9").And.Contain($"reads version {ObservationFile.Version}"));
    }

    [TestCase("", "no observations.json")]
    [TestCase("{\"format\": \"something-else\"}", "not an observations file")]
    [TestCase("{not json", "not readable JSON")]
    [TestCase("{\"format\": \"msa-conformance-observations\", \"format_version\": 1, \"runs\": [{\"scenario\": \"NoSuchScenario\"}]}", "damaged or incomplete")]
    public void AMissingForeignOrDamagedFileIsAClearErrorNotACrash(string content, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("msa-rejudge-bad-").FullName;
        if (content.Length > 0) File.WriteAllText(Path.Combine(dir, ObservationFile.FileName), content);
        var e = Assert.Throws<ObservationFileError>(() => ObservationFile.Read(dir))!;
        Assert.That(e.Message, Does.Contain(expected));
    }

    private static string First(string message) => message.Split('\n')[0];
}
