using System.Diagnostics;
using Msa.Conformance.Checks;
using Msa.Conformance.Checks.AdditionalData;
using Msa.Conformance.Checks.Expiry;
using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Checks.Upload;
using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>--expired-session-id: the expiry checks read a session that has already expired instead of waiting for one.</summary>
[TestFixture]
public class ExpiredSessionIdTests
{
    private const string ExpiredId = "ses_conformance_expired_0001";

    private static readonly Check[] ExpiryChecks =
        [GetSessionPairing.ExpiredIs410, SessionExpiry.UploadRefused, SessionExpiry.UploadRefusedAs410, SessionExpiry.EndRefused, SessionExpiry.StaysExpired];

    /// <summary>A server whose sessions live an hour (too long to wait for), holding one already expired session.</summary>
    private static async Task<(RunningReferenceServer, ScenarioSet)> StartAsync(string expiredSessionId, params Fault[] faults)
    {
        var server = await ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions
        {
            Token = "t-" + Guid.NewGuid().ToString("N"), ProcessingTime = TimeSpan.FromMilliseconds(300), SessionLifetime = TimeSpan.FromHours(1),
            ExpiredSessions = new HashSet<string> { ExpiredId }, Faults = faults.ToHashSet(),
        });
        var options = TestServers.OptionsFor(server, deadlineSeconds: 5);
        options.ExpiredSessionId = expiredSessionId;
        return (server, new ScenarioSet(await Target.ConnectAsync(options)));
    }

    [Test]
    public async Task TheConfiguredSessionIsCheckedWithoutWaiting()
    {
        var (server, scenarios) = await StartAsync(ExpiredId);
        await using var _ = server;
        using var __ = scenarios.Target;
        var clock = Stopwatch.StartNew();
        var results = new List<(Check Check, CheckResult Result)>();
        foreach (var check in ExpiryChecks) results.Add((check, await scenarios.EvaluateAsync(check)));
        var run = await scenarios.Get(Scenario.Expired);
        Assert.Multiple(() =>
        {
            foreach (var (check, result) in results) Assert.That(result.Verdict, Is.EqualTo(Verdict.Passed), $"{check.Id}: {result.Message}");
            Assert.That(run.Exchanges.Select(x => x.Step), Has.None.EqualTo("create"), "no session is created when one is configured");
            Assert.That(run.SessionId, Is.EqualTo(ExpiredId));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the session lives an hour: nothing may wait for it");
        });
    }

    [Test]
    public async Task WithoutOneEveryExpiryCheckBeyondTheWaitBudgetSaysHowLongItWouldNeed()
    {
        var (server, scenarios) = await StartAsync("");
        await using var _ = server;
        using var __ = scenarios.Target;
        await Assert.MultipleAsync(async () =>
        {
            foreach (var check in ExpiryChecks)
            {
                var result = await scenarios.EvaluateAsync(check);
                Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive), check.Id);
                Assert.That(result.Message, Does.Contain("beyond the wait budget").And.Match(@"\d+ s away"), check.Id);
            }
        });
    }

    [Test]
    public async Task ADefectIsStillCaughtOnTheConfiguredSession()
    {
        var (server, scenarios) = await StartAsync(ExpiredId, Fault.ExpiredSessionForgotten);
        await using var _ = server;
        using var __ = scenarios.Target;
        var result = await scenarios.EvaluateAsync(SessionExpiry.StaysExpired);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed), result.Message);
    }

    [Test]
    public async Task AnUnknownConfiguredSessionIsInconclusiveNotFailed()
    {
        var (server, scenarios) = await StartAsync("ses_never_created_here_0001");
        await using var _ = server;
        using var __ = scenarios.Target;
        var result = await scenarios.EvaluateAsync(GetSessionPairing.ExpiredIs410);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive), result.Message);
            Assert.That(result.Message, Does.Contain("--expired-session-id"));
        });
    }

    [Test]
    public void TheSettingComesFromTheCommandLineOrTheEnvironment()
    {
        Environment.SetEnvironmentVariable("MSA_ExpiredSessionId", "ses_from_environment");
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(HarnessOptions.Load([]).ExpiredSessionId, Is.EqualTo("ses_from_environment"));
                Assert.That(HarnessOptions.Load(["--expired-session-id", " ses_from_cli "]).ExpiredSessionId, Is.EqualTo("ses_from_cli"));
            });
        }
        finally { Environment.SetEnvironmentVariable("MSA_ExpiredSessionId", null); }
    }

    [Test]
    public async Task TheReferenceServerReportsTheSessionsItSeeded()
    {
        var (server, scenarios) = await StartAsync(ExpiredId);
        await using var _ = server;
        using var __ = scenarios.Target;
        Assert.That(server.Options.ExpiredSessions, Is.EquivalentTo(new[] { ExpiredId }));
    }

    [TestCase("")]
    [TestCase("ses/with/slashes")]
    public void AnUnusableSeedIdIsRefused(string id) =>
        Assert.ThrowsAsync<ArgumentException>(() => ReferenceServer.ReferenceServer.StartAsync(new ReferenceServerOptions { ExpiredSessions = new HashSet<string> { id } }));
}

/// <summary>The audio fixtures per format, and sequence numbers read from chunk names (CF-08).</summary>
[TestFixture]
public class AudioFixtureTests
{
    [TestCase("audio/wav", "audio_0.wav")]
    [TestCase("audio/ogg", "audio_0.ogg")]
    [TestCase("audio/ogg;codecs=opus", "audio_0.ogg")]
    [TestCase("audio/webm;codecs=opus", "audio_0.webm")]
    [TestCase("Audio/WebM; codecs=\"opus\"", "audio_0.webm")]
    public void AnAdvertisedFormatWithAFixtureGivesAChunkDeclaredAsAdvertised(string mimeType, string uploadName)
    {
        var chunk = AudioFixtures.ForFormat(mimeType);
        Assert.Multiple(() =>
        {
            Assert.That(chunk?.FileName, Is.EqualTo(uploadName));
            Assert.That(chunk?.ContentType, Is.EqualTo(mimeType));
            Assert.That(chunk?.Bytes, Has.Length.GreaterThan(1000));
        });
    }

    [Test]
    public void OggOpusAndOggVorbisAreDifferentFiles() =>
        Assert.That(AudioFixtures.ForFormat("audio/ogg;codecs=opus")!.Bytes, Is.Not.EqualTo(AudioFixtures.ForFormat("audio/ogg")!.Bytes));

    [TestCase("audio/mp3")]
    [TestCase("audio/m4a")]
    public void AFormatWithoutAFixtureCannotBeTried(string mimeType) => Assert.That(AudioFixtures.ForFormat(mimeType), Is.Null);

    [TestCase("0.wav", 0)]
    [TestCase("audio_12.webm", 12)]
    [TestCase("s3://bucket/sessions/x/3.webm", 3)]
    [TestCase("chunk_7", 7)]
    [TestCase("audio.webm", null)]
    [TestCase("1_audio.webm", null)]
    public void TheSequenceNumberIsTheNumberTheNameEndsIn(string name, int? sequence) =>
        Assert.That(AudioFixtures.SequenceOf(name), Is.EqualTo(sequence));
}

/// <summary>Checks whose rule depends on the profile, run in the msa-draft profile against the EkaScribe-flavoured reference server.</summary>
[TestFixture]
public class MsaDraftProfileTests
{
    [Test]
    public async Task EkaScribeOnlyRowsAreNotApplicableAndTheReservedKeyFailsStrictEquality()
    {
        await using var server = await TestServers.StartAsync();
        var options = TestServers.OptionsFor(server);
        options.Profile = "msa-draft";
        options.Auth = "bearer"; // this server is the ekascribe flavour: bearer only
        using var target = await Target.ConnectAsync(options);
        var scenarios = new ScenarioSet(target);
        var oversize = await scenarios.EvaluateAsync(UploadRefused.OversizeChunk);
        var sessionEnded = await scenarios.EvaluateAsync(UploadRefused.AfterEndIsSessionEnded);
        var unchanged = await scenarios.EvaluateAsync(AdditionalDataPassThrough.UnchangedExactly);
        Assert.Multiple(() =>
        {
            Assert.That(oversize.Verdict, Is.EqualTo(Verdict.NotApplicable), oversize.Message);
            Assert.That(sessionEnded.Verdict, Is.EqualTo(Verdict.NotApplicable), sessionEnded.Message);
            Assert.That(unchanged.Verdict, Is.EqualTo(Verdict.Failed), unchanged.Message);
            Assert.That(unchanged.Message, Does.Contain("_protocol").And.Contain("CF-39"));
        });
    }
}

/// <summary>Rules of the new areas on hand-made answers: what counts as "unchanged" and as "in sequence order".</summary>
[TestFixture]
public class PassThroughAndOrderRuleTests
{
    private static CheckResult Unchanged(string sent, string returned, string profile = "ekascribe")
    {
        var run = new ScenarioRun(Scenario.Completed) { SessionId = "s", CreateRequest = new() { ["additional_data"] = System.Text.Json.Nodes.JsonNode.Parse(sent) } };
        run.Record(SchemaValidationTests.Fake(202, $$"""{"session_id":"s","status":"processing","additional_data":{{returned}}}"""));
        var check = profile == "msa-draft" ? AdditionalDataPassThrough.UnchangedExactly : AdditionalDataPassThrough.Unchanged;
        return ScenarioSet.Evaluate(check, new Observations(null, [run], new HarnessOptions { Profile = profile }));
    }

    [TestCase("""{"r":36.6,"big":4294967296001}""", """{"big":4294967296001,"r":36.60}""", Verdict.Passed, TestName = "Same numbers in another spelling and key order are unchanged")]
    [TestCase("""{"note":"Fièvre"}""", """{"note":"Fi\u00e8vre"}""", Verdict.Passed, TestName = "An escaped non-ASCII character is the same text")]
    [TestCase("""{"big":4294967296001}""", """{"big":"4294967296001"}""", Verdict.Failed, TestName = "A number returned as a string is a change")]
    [TestCase("""{"nothing":null}""", """{}""", Verdict.Failed, TestName = "A dropped null member is a change")]
    [TestCase("""{"a":1}""", """{"a":1,"_protocol":{"version":"0.1"}}""", Verdict.Passed, TestName = "A server-added _protocol is tolerated in the ekascribe profile")]
    public void AdditionalDataEquality(string sent, string returned, Verdict verdict)
    {
        var result = Unchanged(sent, returned);
        Assert.That(result.Verdict, Is.EqualTo(verdict), result.Message);
    }

    [Test]
    public void AServerAddedReservedKeyFailsTheMsaDraftProfile() =>
        Assert.That(Unchanged("""{"a":1}""", """{"a":1,"_protocol":{}}""", "msa-draft").Verdict, Is.EqualTo(Verdict.Failed));

    [TestCase("""["0.wav","1.wav","2.wav"]""", true)]
    [TestCase("""["audio_0.wav","audio_1.wav","audio_2.wav"]""", true)]
    [TestCase("""["s3://b/s/0.wav","s3://b/s/1.wav","s3://b/s/2.wav"]""", true)]
    [TestCase("""["2.wav","0.wav","1.wav"]""", false)]
    [TestCase("""["0.wav","1.wav"]""", false)]
    [TestCase("""["0.wav","1.wav","2.wav","2.wav"]""", false)]
    public void AudioFilesAreComparedBySequenceNumber(string audioFiles, bool inOrder) =>
        Assert.That(UploadLog.OrderProblem(System.Text.Json.Nodes.JsonNode.Parse(audioFiles), [0, 1, 2]), inOrder ? Is.Null : Is.Not.Null);
}
