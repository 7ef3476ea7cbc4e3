using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Checks.CreateSession;
using Msa.Conformance.Checks.Discovery;
using Msa.Conformance.Http;
using Msa.Conformance.Reporting;
using Msa.Conformance.Scenarios;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

/// <summary>Profiles: which checks apply, which header carries the credential, where discovery is looked for.</summary>
[TestFixture]
public class ProfileTests
{
    [Test]
    public void ACheckOfTheOtherProfileIsNotApplicableAndItsRuleNeverRuns()
    {
        var ran = false;
        var check = new Check("x.y", "t", new("TPL-10"), Scenario.Completed, _ => { ran = true; return CheckResult.Pass(); }); // an msa-draft row
        var result = ScenarioSet.Evaluate(check, new Observations(null, [], new HarnessOptions()));
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.NotApplicable));
            Assert.That(result.Message, Does.StartWith("applies to profile msa-draft"));
            Assert.That(ran, Is.False);
        });
    }

    [TestCase("ekascribe", "", AuthScheme.Bearer)]
    [TestCase("msa-draft", "", AuthScheme.XApiKey)]
    [TestCase("msa-draft", "bearer", AuthScheme.Bearer)]
    [TestCase("ekascribe", "x-api-key", AuthScheme.XApiKey)]
    public void TheCredentialHeaderIsTheProfilesUnlessAuthSaysOtherwise(string profile, string auth, AuthScheme expected) =>
        Assert.That(new HarnessOptions { Profile = profile, Auth = auth }.AuthScheme, Is.EqualTo(expected));

    [Test]
    public void AnImpossibleSessionLifetimeIsAConfigurationError() =>
        Assert.That(() => HarnessOptions.Load(["--expected-session-lifetime", "0"]),
            Throws.TypeOf<ConfigurationError>().With.Message.Contains("ExpectedSessionLifetimeSeconds"));

    [TestCase("ekascribe", new[] { "http://h:1/voice/v1/.well-known/medscribealliance", "http://h:1/.well-known/medscribealliance" })]
    [TestCase("msa-draft", new[] { "http://h:1/.well-known/medscribealliance", "http://h:1/voice/v1/.well-known/medscribealliance" })]
    public void DiscoveryIsLookedForAtTheProfilesPlaceFirst(string profile, string[] expected) =>
        Assert.That(Target.DiscoveryCandidates(new HarnessOptions { Profile = profile, Target = "http://h:1/voice/v1/" }), Is.EqualTo(expected));

    [Test]
    public async Task MsaDraftAgainstAnEkascribeServerFallsBackToTheBasePathWithANote()
    {
        await using var server = await TestServers.StartAsync(ServerProfile.Ekascribe, TestServers.LongLifetime);
        var options = TestServers.OptionsFor(server);
        options.Profile = "msa-draft";
        options.Auth = "bearer";
        using var target = await Target.ConnectAsync(options);
        Assert.Multiple(() =>
        {
            Assert.That(target.DiscoveryUrl, Is.EqualTo(Target.DiscoveryUrlUnder(server.ServiceRoot)));
            Assert.That(target.Notes.Single(), Does.Contain("No discovery document at").And.Contain("msa-draft"));
            Assert.That(target.DiscoveryAttempts, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task MsaDraftFindsTheHostRootCopyAndSendsXApiKey()
    {
        await using var server = await TestServers.StartAsync(ServerProfile.MsaDraft, TestServers.LongLifetime);
        using var target = await Target.ConnectAsync(TestServers.OptionsFor(server));
        var create = await new ScenarioSet(target).Get(Scenario.CreateSession);
        Assert.Multiple(() =>
        {
            Assert.That(target.DiscoveryUrl, Is.EqualTo(Target.HostRootDiscoveryUrl(server.ServiceRoot)));
            Assert.That(target.Notes, Is.Empty);
            Assert.That(create.Create!.Status, Is.EqualTo(201));
            Assert.That(create.Create.RequestHeaders.Select(h => h.Key), Does.Contain("X-API-Key").And.Not.Contain("Authorization"));
        });
    }

    [Test]
    public async Task DiscoveryBehindTheCredentialIsStillUsedAndNoted()
    {
        await using var server = await TestServers.StartAsync(ServerProfile.Ekascribe, TestServers.LongLifetime, Fault.DiscoveryRequiresCredential);
        using var target = await Target.ConnectAsync(TestServers.OptionsFor(server));
        Assert.Multiple(() =>
        {
            Assert.That(target.DiscoveryExchange.Status, Is.EqualTo(200));
            Assert.That(target.Notes.Single(), Does.Contain("without a credential"));
        });
    }

    [Test]
    public async Task ARelativeBaseUrlIsResolvedAgainstTheDiscoveryUrl()
    {
        await using var server = await TestServers.StartAsync(ServerProfile.Ekascribe, TestServers.LongLifetime, Fault.DiscoveryBaseUrlRelative);
        using var target = await Target.ConnectAsync(TestServers.OptionsFor(server));
        Assert.That(target.BaseUrl, Is.EqualTo(server.ServiceRoot));
    }
}

/// <summary>The rules behind the discovery checks, and the applicability helper.</summary>
[TestFixture]
public class DiscoveryRuleTests
{
    private static readonly Exchange Evidence = new() { Step = "discovery", Method = "GET", Url = "http://h/.well-known/medscribealliance", RequestHeaders = [] };

    [TestCase("https://api.example.com/v1", true, "absolute https")]
    [TestCase("http://127.0.0.1:5000/voice/v1", true, "loopback")]
    [TestCase("http://127.8.9.10/v1", true, "loopback")]
    [TestCase("http://[::1]:5000/v1", true, "loopback")]
    [TestCase("http://localhost:5000/v1", true, "loopback")]
    [TestCase("http://api.example.com/v1", false, "absolute https URL")]
    [TestCase("http://10.0.0.1/v1", false, "absolute https URL")]
    [TestCase("/voice/v1", false, "\"/voice/v1\"")]
    [TestCase(null, false, "absent")]
    public void BaseUrlMustBeHttpsExceptOnLoopback(string? url, bool passes, string said)
    {
        var result = DiscoveryRules.SecureUrl(Evidence, "endpoints.base_url", url);
        Assert.That(result.Verdict, Is.EqualTo(passes ? Verdict.Passed : Verdict.Failed));
        Assert.That(result.Message, Does.Contain(said));
    }

    [TestCase("public, max-age=10800", 10800)]
    [TestCase("max-age=0", 0)]
    [TestCase("no-store", null)]
    [TestCase(null, null)]
    public void MaxAgeIsRead(string? header, int? seconds) => Assert.That(DiscoveryRules.MaxAge(header), Is.EqualTo(seconds));

    private static readonly JsonObject Document = JsonNode.Parse("""
        {"capabilities": {"upload_methods": ["chunked"], "audio_formats": ["audio/webm; codecs=opus"], "webhook_delivery": false},
         "models": [{"id": "lite"}, {"id": "pro"}], "languages": {"supported": ["en"]}}
        """)!.AsObject();

    [Test]
    public void AFeatureNotAdvertisedMakesTheCheckNotApplicableAndSaysWhere()
    {
        var capabilities = Capabilities.From(Document);
        var single = Assert.Throws<NotReached>(() => capabilities.Require(Feature.UploadMethod, "single"))!;
        var webhooks = Assert.Throws<NotReached>(() => capabilities.Require(Feature.WebhookDelivery))!;
        Assert.Multiple(() =>
        {
            Assert.That(single.Verdict, Is.EqualTo(Verdict.NotApplicable));
            Assert.That(single.Message, Does.Contain("capabilities.upload_methods ([chunked])"));
            Assert.That(webhooks.Message, Does.Contain("capabilities.webhook_delivery is not true"));
            Assert.That(() => capabilities.Require(Feature.AudioFormat, "audio/webm;codecs=opus"), Throws.Nothing);
            Assert.That(() => capabilities.Require(Feature.Model, "pro"), Throws.Nothing);
            Assert.That(Assert.Throws<NotReached>(() => Capabilities.From(null).Require(Feature.Model, "pro"))!.Verdict, Is.EqualTo(Verdict.Inconclusive));
        });
    }

    [Test]
    public void OnlyAFailureOfAnAdvertisedFeatureIsDeclaredButBroken()
    {
        var failed = Capabilities.DeclaredButBroken(CheckResult.Fail("Expected: 201"), Feature.UploadMethod, "single");
        var passed = Capabilities.DeclaredButBroken(CheckResult.Pass("fine"), Feature.UploadMethod, "single");
        Assert.Multiple(() =>
        {
            Assert.That(failed.Message, Does.StartWith("declared but broken: capabilities.upload_methods 'single'").And.EndWith("Expected: 201"));
            Assert.That(passed.Message, Is.EqualTo("fine"));
        });
    }

    [Test]
    public void TheDiscoverySchemaAcceptsTheReferenceDocumentAndEachDefinitionRejectsItsDefect()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SchemaValidator.Validate("discovery.json", """{"protocol": "medscribealliance"}"""), Is.Not.Empty, "required fields");
            Assert.That(SchemaValidator.Validate("discovery.json", "[\"audio/wav\", \"audio/webm;codecs=opus\"]", "audioFormats"), Is.Empty);
            Assert.That(SchemaValidator.Validate("discovery.json", "[\"wav\"]", "audioFormats"), Is.Not.Empty);
            Assert.That(SchemaValidator.Validate("discovery.json", "[]", "uploadMethods"), Is.Not.Empty);
            Assert.That(SchemaValidator.Validate("discovery.json", "\"0.1\"", "protocolVersion"), Is.Empty);
            Assert.That(SchemaValidator.Validate("discovery.json", "\"v0.1\"", "protocolVersion"), Is.Not.Empty);
        });
    }
}

/// <summary>capabilities.json: declared in discovery vs observed in the scenarios.</summary>
[TestFixture]
public class CapabilityTableTests
{
    [Test]
    public async Task TheTableSaysWhatIsDeclaredAndWhatTheRunSawOfIt()
    {
        await using var server = await TestServers.StartAsync(ServerProfile.Ekascribe, TestServers.LongLifetime, webhooks: false);
        using var target = await Target.ConnectAsync(TestServers.OptionsFor(server));
        var run = await new ScenarioSet(target).Get(Scenario.CreateSession);
        var rows = CapabilityTable.Build(target.Discovery, [run]);
        var chunked = rows.Single(r => r is { Feature: "upload_method", Value: "chunked" });
        Assert.Multiple(() =>
        {
            Assert.That(chunked.Finding, Is.EqualTo("declared, works"));
            Assert.That(chunked.Observed.Single().Scenario, Is.EqualTo("CreateSession"));
            Assert.That(rows.Single(r => r.Feature == "webhook_delivery").Finding, Is.EqualTo("not declared, not exercised"));
            Assert.That(rows.Single(r => r is { Feature: "language", Value: "ta" }).Finding, Is.EqualTo("declared, not exercised"));
            Assert.That(rows.Any(r => r.Value == "batch"), Is.False, "bad-body probes are not observations of a feature");
            Assert.That(chunked.Summary, Does.Contain("accepted"));
        });
    }

    /// <summary>"Refused" only when a request for the feature was refused; uploads that never reached a decision say so (issue 11).</summary>
    [TestCase(404, "declared, not reached")]
    [TestCase(401, "declared, not reached")]
    [TestCase(500, "declared, not reached")]
    [TestCase(415, "declared, refused")]
    [TestCase(200, "declared, works")]
    public void AFeatureIsRefusedOnlyWhenARequestForItWasRefused(int status, string finding)
    {
        var discovery = System.Text.Json.Nodes.JsonNode.Parse("""{"capabilities":{"audio_formats":["audio/wav"]}}""")!.AsObject();
        var run = new ScenarioRun(Scenario.UploadVariants);
        run.Record(new Http.Exchange
        {
            Step = "upload audio_0.wav", Method = "POST", Url = "https://x.example/v1/sessions/ses_1/audio/audio_0.wav", StartedAt = DateTimeOffset.UtcNow,
            RequestHeaders = [new("Content-Type", "audio/wav")], Status = status,
        });
        var row = CapabilityTable.Build(discovery, [run]).Single(r => r is { Feature: "audio_format", Value: "audio/wav" });
        Assert.That(row.Finding, Is.EqualTo(finding), row.Summary);
    }
}
