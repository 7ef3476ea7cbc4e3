using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Checks.Webhooks;
using Msa.Conformance.Reporting;
using Msa.Conformance.Scenarios;
using Msa.Conformance.Webhooks;
using Msa.ReferenceServer;
using Fault = Msa.ReferenceServer.Fault;

namespace Msa.Conformance.Tests;

/// <summary>The webhook scenario's promises beyond the kill matrix: it cleans up, it says once when it cannot observe, and the report shows each event.</summary>
[TestFixture]
public class WebhookScenarioTests
{
    [Test]
    public async Task WithoutWebhooksInDiscoveryEveryWebhookCheckIsNotApplicable()
    {
        await using var server = await TestServers.StartAsync(webhooks: false);
        using var target = await Target.ConnectAsync(TestServers.OptionsFor(server));
        var scenarios = new ScenarioSet(target);
        var results = await Task.WhenAll(Catalogue.Webhooks.Select(scenarios.EvaluateAsync));
        Assert.Multiple(() =>
        {
            Assert.That(target.Discovery["capabilities"]?["webhook_delivery"]?.GetValue<bool>(), Is.False);
            Assert.That(target.Discovery["endpoints"]?["webhooks_url"], Is.Null);
            Assert.That(results.Select(r => r.Verdict), Is.All.EqualTo(Verdict.NotApplicable));
            // The first check of this run's profile says why (a check of the other profile says that instead).
            Assert.That(results.Zip(Catalogue.Webhooks).First(r => r.Second.AppliesTo(target.Options.ProtocolProfile)).First.Message, Does.Contain("webhook_delivery"));
        });
    }

    [TestCase("""{"capabilities":{"webhook_delivery":true},"endpoints":{"webhooks_url":"https://x.example/v1/webhooks"}}""", "https://x.example/v1/webhooks")]
    [TestCase("""{"capabilities":{"webhook_delivery":true},"endpoints":{"base_url":"https://x.example/v1"}}""", null)]
    [TestCase("""{"capabilities":{"webhook_delivery":"yes"},"endpoints":{"webhooks_url":"https://x.example/v1/webhooks"}}""", null)]
    [TestCase("""{"capabilities":{"webhook_delivery":true},"endpoints":{"webhooks_url":"/v1/webhooks"}}""", null)]
    [TestCase("""{"capabilities":[],"endpoints":"x"}""", null)]
    public void WebhooksAreOfferedOnlyWithDeliveryTrueAndAnAbsoluteWebhooksUrl(string discovery, string? url)
    {
        Assert.That(WebhookObservations.Advertised(JsonNode.Parse(discovery)!.AsObject(), out var reason), Is.EqualTo(url));
        Assert.That(reason, url is null ? Does.Contain("webhook") : Is.Empty);
    }

    /// <summary>
    /// The pass side of WH-REG-03 and WH-DEL-15: with the receiver on https (its own certificate, which the reference
    /// server trusts), a clean https-only server refuses the plain-http registration, and every webhook check passes as
    /// over plain http.
    /// </summary>
    [Test]
    public async Task AnHttpsReceiverJudgesPlainHttpRegistrationAndDelivery()
    {
        await using var server = await TestServers.StartWithHttpsOnlyWebhooksAsync(ServerProfile.Ekascribe);
        var options = TestServers.OptionsFor(server);
        using var target = await Target.ConnectAsync(options);
        var scenarios = new ScenarioSet(target);
        var results = Catalogue.Webhooks.Where(c => c.AppliesTo(options.ProtocolProfile)).Zip(await Task.WhenAll(
            Catalogue.Webhooks.Where(c => c.AppliesTo(options.ProtocolProfile)).Select(scenarios.EvaluateAsync))).ToList();
        var run = await scenarios.Get(Scenario.Webhooks);
        Assert.Multiple(() =>
        {
            Assert.That(options.Webhooks.Https, Is.True);
            Assert.That(run.Webhooks!.Deliveries.Where(d => d.Key == run.Webhooks.SignedKey).Select(d => d.Scheme), Is.Not.Empty.And.All.EqualTo("https"));
            Assert.That(results.Where(r => r.Second.Verdict != CheckRuns.CleanVerdictOverHttps(r.First)).Select(r => $"{r.First.Id}: {r.Second.Verdict}: {r.Second.Message}"), Is.Empty);
            Assert.That(results.Single(r => r.First == WebhookDelivery.HttpsOnly).Second.Message, Does.Contain("refused"));
        });
    }

    [Test]
    public async Task AReceiverTheServerCannotReachGivesOneInconclusiveWithGuidanceAndNoFailure()
    {
        await using var server = await TestServers.StartAsync();
        var options = TestServers.OptionsFor(server);
        options.Webhooks.PublicUrl = $"http://127.0.0.1:{ClosedPort()}"; // as if a tunnel pointed nowhere
        options.Webhooks.PreflightSeconds = 1;
        using var target = await Target.ConnectAsync(options);
        var scenarios = new ScenarioSet(target);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = Catalogue.Webhooks.Zip(await Task.WhenAll(Catalogue.Webhooks.Select(scenarios.EvaluateAsync))).ToList();
        var delivery = results.Where(r => r.First.Id.StartsWith("webhooks.delivery", StringComparison.Ordinal)
            || r.First.Id.StartsWith("webhooks.signature", StringComparison.Ordinal) || r.First.Id.StartsWith("webhooks.consistency", StringComparison.Ordinal)).ToList();
        Assert.Multiple(async () =>
        {
            Assert.That(results.Where(r => r.Second.Verdict == Verdict.Inconclusive).Select(r => r.First), Is.EqualTo(new[] { WebhookDelivery.AfterProcessing }));
            Assert.That(results.Single(r => r.First == WebhookDelivery.AfterProcessing).Second.Message, Does.Contain("--webhook-public-url"));
            Assert.That(delivery.Where(r => r.First != WebhookDelivery.AfterProcessing).Select(r => r.Second.Verdict), Is.All.EqualTo(Verdict.NotApplicable));
            // WH-REG-03 needs the receiver on https (--webhook-https): not applicable behind this plain-http "tunnel".
            Assert.That(results.Where(r => r.First.Id.StartsWith("webhooks.management", StringComparison.Ordinal) && r.First.AppliesTo(target.Options.ProtocolProfile)
                && r.First != WebhookManagement.PlainHttpRefused).Select(r => r.Second.Verdict), Is.All.EqualTo(Verdict.Passed));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "the preflight must end the wait");
            Assert.That(await Registered(server), Is.Empty, "the registrations must be deleted");
        });
    }

    [Test]
    public async Task AnInterruptedRunStillDeletesWhatItRegistered()
    {
        await using var server = await TestServers.StartAsync();
        using var target = await Target.ConnectAsync(TestServers.OptionsFor(server));
        var scenarios = new ScenarioSet(target);
        var running = scenarios.Get(Scenario.Webhooks);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await Registered(server)).Count < 3 && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(100); // 10 GETs a second: under the reference server's rate limit (30 a second per URL)
        Assert.That(await Registered(server), Has.Count.EqualTo(3), "registered with and without a secret, and for session.completed alone");

        await scenarios.StopAsync(TimeSpan.FromSeconds(10)); // what Ctrl+C and the suites' teardown do
        var run = await running;
        Assert.Multiple(async () =>
        {
            Assert.That(await Registered(server), Is.Empty);
            Assert.That(run.Stopped?.Reason, Does.Contain("interrupted"));
        });
    }

    [Test]
    public async Task FailingChecksStillLeaveNoRegistrationBehind()
    {
        await using var server = await TestServers.StartAsync(Fault.WebhookNoTerminalEvent);
        using var target = await Target.ConnectAsync(TestServers.OptionsFor(server));
        var scenarios = new ScenarioSet(target);
        Assert.That((await scenarios.EvaluateAsync(WebhookDelivery.AfterProcessing)).Verdict, Is.EqualTo(Verdict.Failed));
        Assert.That(await Registered(server), Is.Empty);
    }

    [Test]
    public async Task TheReportShowsEveryReceivedEventWithItsVerifiedSignatureAndNeverTheSecret()
    {
        var (server, scenarios) = await TestServers.ScenariosAsync();
        await using var _ = server;
        using var __ = scenarios.Target;
        var run = await scenarios.Get(Scenario.Webhooks);
        var check = WebhookSigning.Valid;
        var header = WebhookSignature.HeaderOf[scenarios.Target.Options.ProtocolProfile];
        var directory = Path.Combine(Path.GetTempPath(), "msa-webhook-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            new AllureWriter(directory, fullEvidence: false).Write(check, await scenarios.EvaluateAsync(check), [run], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
            var files = Directory.GetFiles(directory).Select(File.ReadAllText).ToList();
            var deliveries = files.Single(f => f.StartsWith("Receiver:", StringComparison.Ordinal));
            var result = files.Single(f => f.Contains("\"uuid\"", StringComparison.Ordinal));
            Assert.Multiple(() =>
            {
                foreach (var name in WebhookEvents.All)
                    Assert.That(deliveries, Does.Contain($" {name} "), $"{name} listed in the deliveries attachment");
                Assert.That(deliveries, Does.Contain($"{header} verified"));
                Assert.That(result, Does.Contain("webhook received: session.completed").And.Contain($"{header} verified"), "each delivery is a step");
                Assert.That(files, Has.None.Contains(run.Webhooks!.Secret), "the secret is redacted everywhere");
                Assert.That(files.Count(f => f.Contains("\"secret\":\"[REDACTED]\"", StringComparison.Ordinal)), Is.GreaterThan(0), "the registration request shows the secret redacted");
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The webhook ids the reference server holds, read as a client would.</summary>
    private static async Task<List<string>> Registered(RunningReferenceServer server)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.ServiceRoot + "/webhooks");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Options.Token);
        using var response = await http.SendAsync(request);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["webhooks"]!.AsArray();
        return [.. list.Select(w => w!["webhook_id"]!.GetValue<string>())];
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

[TestFixture]
public class WebhookSignatureTests
{
    private const string Secret = "whsec_unit_test_secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"event":"session.completed","timestamp":"2025-01-19T10:35:00Z","session_id":"ses_abc"}""");

    private static string Sign(string secret, long t, byte[] body)
    {
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{t}."), .. body];
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    [Test]
    public void AGoodSignatureVerifiesOverTheRawBytes()
    {
        var signature = WebhookSignature.Parse(WebhookSignature.MsaHeader, $"t=1705661400,v1={Sign(Secret, 1705661400, Body)}");
        Assert.Multiple(() =>
        {
            Assert.That(signature.WellFormed);
            Assert.That(signature.Verifies(Secret, Body));
            Assert.That(signature.Verifies("another secret", Body), Is.False);
            Assert.That(signature.Verifies(Secret, [.. Body, (byte)' ']), Is.False, "one byte more is another body");
        });
    }

    [TestCase("v1=abc", false)]
    [TestCase("t=1705661400", false)]
    [TestCase("t=17056614OO,v1=00", false)]
    [TestCase("t=1705661400,v1=zz", false)]
    public void TheFormNeedsTAndAHexV1(string value, bool wellFormed) =>
        Assert.That(WebhookSignature.Parse(WebhookSignature.MsaHeader, value).WellFormed, Is.EqualTo(wellFormed));

    [Test]
    public void AnyOfSeveralV1MayMatchAndUpperCaseHexIsTheSameMac()
    {
        var good = Sign(Secret, 42, Body);
        var signature = WebhookSignature.Parse(WebhookSignature.EkaHeader, $"t=42, v1={new string('0', 64)}, v1={good.ToUpperInvariant()}");
        Assert.That(signature.Verifies(Secret, Body));
    }

    [TestCase("ekascribe", WebhookSignature.EkaHeader, WebhookSignature.MsaHeader)]
    [TestCase("msa-draft", WebhookSignature.MsaHeader, WebhookSignature.EkaHeader)]
    public void EitherHeaderIsReadTheProfilesOwnFirst(string profile, string own, string other) =>
        Assert.That(WebhookSignature.HeaderNames(profile), Is.EqualTo(new[] { own, other }));

    [TestCase("ekascribe", 180)]
    [TestCase("msa-draft", 300)]
    public void TheReplayWindowFollowsTheProfile(string profile, int seconds) =>
        Assert.That(WebhookSignature.ToleranceSeconds(profile), Is.EqualTo(seconds));
}
