using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Tests;

[TestFixture]
public class SchemaValidationTests
{
    [TestCase("2026-06-06T14:21:07Z", true)]
    [TestCase("2026-06-06T14:21:07.123+05:30", true)]
    [TestCase("2026-06-06t14:21:07z", true)]
    [TestCase("2026-06-06T14:21:07", false)]
    [TestCase("2026-06-06", false)]
    [TestCase("2024-02-30T10:00:00Z", false)]
    [TestCase("2024", false)]
    [TestCase("01/02/2024 10:00", false)]
    public void DateTimeIsStrictRfc3339(string value, bool valid)
    {
        // The schemas leave timestamps as strings (their format is GET-FLD-32's and CRE-04's finding); this is the rule those rows use.
        Assert.That(SchemaValidator.IsRfc3339(value), Is.EqualTo(valid));
    }

    [Test]
    public void MissingFieldIsNamed()
    {
        var errors = SchemaValidator.Validate("get-session-410.json", """{"session_id":"s","status":"expired"}""");
        Assert.That(errors, Has.Some.Contains("required field 'expired_at' is missing"));
    }

    [Test]
    public void ExpiredTemplatesMustBeEmptyButMayBeListOrMap()
    {
        const string head = """{"session_id":"s","status":"expired","created_at":"2026-06-06T14:21:07Z","expired_at":"2026-06-06T15:21:07Z","message":"m","upload_url":"u","audio_files_received":0,"audio_files":[],""";
        Assert.Multiple(() =>
        {
            Assert.That(SchemaValidator.Validate("get-session-410-seed.json", head + "\"templates\":{}}"), Is.Empty);
            Assert.That(SchemaValidator.Validate("get-session-410-seed.json", head + "\"templates\":[]}"), Is.Empty);
            Assert.That(SchemaValidator.Validate("get-session-410-seed.json", head + "\"templates\":[{\"a\":{}}]}"), Is.Not.Empty);
        });
    }

    [Test]
    public void ErrorEnvelopeNeedsCodeAndMessage()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SchemaValidator.Validate("error.json", """{"error":{"code":"session_not_found","message":"no"}}"""), Is.Empty);
            Assert.That(SchemaValidator.Validate("error.json", """{"error":{"code":"NOT_FOUND","message":"no"}}"""), Is.Empty, "shape only: how the code is spelt is ERR-02's finding");
            Assert.That(SchemaValidator.Validate("error.json", """{"error":{"code":3,"message":"no"}}"""), Is.Not.Empty, "code is a string");
            Assert.That(SchemaValidator.Validate("error.json", """{"message":"no"}"""), Is.Not.Empty);
        });
    }

    [Test]
    public void RepeatedTemplateIdsAreAllowed()
    {
        var entry = """{"status":"success","data":{},"document_id":"d1","publish":{}}""";
        Assert.That(SchemaValidator.Validate("template-entry.json", entry), Is.Empty);
        var x = Fake(200, $$"""{"status":"completed","templates":[{"t":{{entry}}},{"t":{{entry.Replace("d1", "d2")}}}]}""");
        var run = new ScenarioRun(Scenario.Completed);
        run.Record(x);
        var result = GetSessionTemplates_SingleKey(run);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Passed), result.Message);
    }

    private static CheckResult GetSessionTemplates_SingleKey(ScenarioRun run) =>
        Checks.GetSession.GetSessionTemplates.SingleKeyEntries.Rule(new Observations(run, [run], new HarnessOptions()));

    internal static Exchange Fake(int status, string body, string contentType = "application/json; charset=utf-8", string step = "get poll")
    {
        var x = new Exchange { Step = step, Method = "GET", Url = "http://127.0.0.1/voice/v1/sessions/s", RequestHeaders = [], Status = status, Body = body, ContentType = contentType };
        x.ResponseHeaders.Add(new("Content-Type", contentType));
        return x;
    }
}

[TestFixture]
public class PairingTableTests
{
    [TestCase(202, "processing", true)]
    [TestCase(202, "initialized", true)]
    [TestCase(202, "queued", false)]
    [TestCase(202, "completed", false)]
    public void Every202Rule(int code, string status, bool passes)
    {
        var result = Evaluate(Checks.GetSession.GetSessionPairing.Every202IsProcessingOrInitialized, code, status);
        Assert.That(result.Verdict, Is.EqualTo(passes ? Verdict.Passed : Verdict.Failed), result.Message);
    }

    [TestCase(200, "completed", true)]
    [TestCase(206, "completed", false)]
    [TestCase(206, "partial", true)]
    [TestCase(200, "partial", false)]
    [TestCase(410, "expired", true)]
    [TestCase(404, "expired", false)]
    [TestCase(200, "processing", false)]
    [TestCase(200, "failed", true)]
    public void StatusImpliesCodeRule(int code, string status, bool passes)
    {
        var result = Evaluate(Checks.GetSession.GetSessionPairing.StatusImpliesCode, code, status);
        Assert.That(result.Verdict, Is.EqualTo(passes ? Verdict.Passed : Verdict.Failed), result.Message);
    }

    [TestCase(200, true)]
    [TestCase(500, false)]
    [TestCase(422, false)]
    public void FailedOnlyWith200Rule(int code, bool passes)
    {
        var result = Evaluate(Checks.GetSession.GetSessionPairing.FailedOnlyWith200, code, "failed");
        Assert.That(result.Verdict, Is.EqualTo(passes ? Verdict.Passed : Verdict.Failed), result.Message);
    }

    [Test]
    public void FailureMessageSaysExpectedAndReceivedAndCarriesTheExchange()
    {
        var result = Evaluate(Checks.GetSession.GetSessionPairing.Every202IsProcessingOrInitialized, 202, "queued");
        Assert.Multiple(() =>
        {
            Assert.That(result.Message, Does.Contain("Expected:").And.Contain("Received:").And.Contain("queued"));
            Assert.That(result.Evidence, Has.Count.EqualTo(1));
        });
    }

    private static CheckResult Evaluate(Check check, int code, string status)
    {
        var run = new ScenarioRun(Scenario.Completed) { SessionId = "s" };
        run.Record(SchemaValidationTests.Fake(code, $$"""{"session_id":"s","status":"{{status}}"}"""));
        return ScenarioSet.Evaluate(check, new Observations(run, [run], new HarnessOptions()));
    }
}

[TestFixture]
public class TimelineAndPollingTests
{
    [Test]
    public void TerminalGoingBackTo202Fails()
    {
        var run = new ScenarioRun(Scenario.Completed) { SessionId = "s" };
        run.Terminal = run.Record(SchemaValidationTests.Fake(200, """{"session_id":"s","status":"completed"}"""));
        run.AfterTerminal.Add(run.Record(SchemaValidationTests.Fake(202, """{"session_id":"s","status":"processing"}""")));
        var result = ScenarioSet.Evaluate(Checks.GetSession.GetSessionPairing.TerminalIsStable, new Observations(null, [run], new HarnessOptions()));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed), result.Message);
    }

    [Test]
    public void ProcessingThenInitializedFails()
    {
        var run = new ScenarioRun(Scenario.Completed) { SessionId = "s" };
        foreach (var s in new[] { "processing", "initialized", "processing" })
            run.Polls.Add(run.Record(SchemaValidationTests.Fake(202, $$"""{"session_id":"s","status":"{{s}}"}""")));
        var result = ScenarioSet.Evaluate(Checks.GetSession.GetSessionPolling.NoReturnToInitialized, new Observations(null, [run], new HarnessOptions()));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed), result.Message);
    }

    [Test]
    public void TimelineIsCsvWithOneRowPerPoll()
    {
        var run = new ScenarioRun(Scenario.Completed);
        run.Timeline.Add(new(0.0, 202, "processing", null));
        run.Timeline.Add(new(1.002, 200, "completed", null));
        var csv = Reporting.AllureWriter.TimelineCsv(run).Trim().Split('\n');
        Assert.That(csv, Is.EqualTo(new[] { "seconds_since_end,http_status,body_status,note", "0.000,202,processing,", "1.002,200,completed," }));
    }

    [TestCase("3", 3.0)]
    [TestCase("0", 0.0)]
    [TestCase("soon", null)]
    public void RetryAfterInSeconds(string value, double? seconds)
    {
        var x = SchemaValidationTests.Fake(429, "{}");
        x.ResponseHeaders.Add(new("Retry-After", value));
        Assert.That(ScenarioDriver.RetryAfter(x)?.TotalSeconds, Is.EqualTo(seconds));
    }

    [Test]
    public void RetryAfterAsHttpDate()
    {
        var x = SchemaValidationTests.Fake(503, "{}");
        x.ResponseHeaders.Add(new("Retry-After", DateTimeOffset.UtcNow.AddSeconds(5).ToString("R")));
        Assert.That(ScenarioDriver.RetryAfter(x)?.TotalSeconds, Is.InRange(3.0, 5.1));
    }

    [Test]
    public void UnreachedStateIsNotAFailure()
    {
        var run = new ScenarioRun(Scenario.Completed);
        run.Stop(Verdict.Inconclusive, "no terminal state within the 5 s deadline");
        var result = ScenarioSet.Evaluate(Checks.GetSession.GetSessionPairing.CompletedIs200, new Observations(run, [run], new HarnessOptions()));
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
            Assert.That(result.Message, Does.Contain("deadline"));
        });
    }
}

[TestFixture]
public class BadBodyTests
{
    [TestCase("<html><body>Bad Gateway</body></html>", "HTML")]
    [TestCase("{\"session_id\": \"s\", \"sta", "not valid JSON")]
    [TestCase("", "empty")]
    public void NonJsonBodiesExplainThemselves(string body, string expected)
    {
        var x = SchemaValidationTests.Fake(200, body, "text/html");
        Assert.Multiple(() =>
        {
            Assert.That(x.Json, Is.Null);
            Assert.That(x.JsonError, Does.Contain(expected));
        });
    }

    /// <summary>Checks run in parallel and read the same exchange; the first reads must never see a half-made parse.</summary>
    [Test]
    public void ABodyReadFromManyThreadsAtOnceIsTheSameEverywhere()
    {
        var body = """{"session_id":"s","status":"created","nested":{"list":[1,{"k":"v"}],"o":{"a":true}}}""";
        var misread = 0;
        for (var i = 0; i < 200; i++)
        {
            var x = SchemaValidationTests.Fake(201, body);
            Parallel.For(0, 8, _ =>
            {
                if (x.JsonObject?["status"]?.GetValue<string>() != "created" || x.JsonObject?["nested"]?["list"]?[1]?["k"]?.GetValue<string>() != "v")
                    Interlocked.Increment(ref misread);
            });
        }
        Assert.That(misread, Is.Zero);
    }

    [Test]
    public void SchemaCheckOnHtmlFailsWithAnExcerpt()
    {
        var x = SchemaValidationTests.Fake(200, "<html><body>Bad Gateway</body></html>", "text/html");
        var result = Rules.MatchesSchema([x], "get-session-200-completed.json");
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed));
            Assert.That(result.Message, Does.Contain("Bad Gateway"));
        });
    }
}

[TestFixture]
public class RedactionTests
{
    [Test]
    public void CredentialNeverAppearsInRequestText()
    {
        const string secret = "sk_test_SECRET_MARKER_123456";
        Redactor.RegisterSecret(secret);
        var x = new Exchange
        {
            Step = "get", Method = "GET", Url = $"http://h/x?api_key={secret}", StartedAt = DateTimeOffset.UtcNow,
            RequestHeaders = [new("Authorization", Redactor.HeaderValue("Authorization", $"Bearer {secret}"))],
        };
        x.Body = $"{{\"echo\":\"{secret}\"}}";
        x.Status = 200;
        x.ResponseHeaders.Add(new("Set-Cookie", $"session={secret}"));
        Assert.Multiple(() =>
        {
            Assert.That(Redactor.Scrub(x.RequestText()), Does.Not.Contain(secret).And.Contain("Bearer [REDACTED]"));
            Assert.That(Redactor.Scrub(x.ResponseText(fullEvidence: true)), Does.Not.Contain(secret));
        });
    }

    /// <summary>A presigned upload_url's signature is a short-lived upload credential: masked in URLs and in JSON that escapes '&amp;'.</summary>
    [Test]
    public void PresignedSignaturesAreMaskedAndTheRestOfTheUrlKept()
    {
        const string url = "https://bucket.s3.amazonaws.com/sessions/ses_1/?X-Amz-Credential=AKIA%2F1&X-Amz-Expires=3600&X-Amz-Signature=abc123def";
        var json = new System.Text.Json.Nodes.JsonObject { ["upload_url"] = url }.ToJsonString();
        Assert.Multiple(() =>
        {
            Assert.That(Redactor.Scrub(url), Is.EqualTo("https://bucket.s3.amazonaws.com/sessions/ses_1/?X-Amz-Credential=[REDACTED]&X-Amz-Expires=3600&X-Amz-Signature=[REDACTED]"));
            Assert.That(json, Does.Contain("\\u0026"), "System.Text.Json escapes the ampersand");
            Assert.That(Redactor.Scrub(json), Does.Not.Contain("abc123def").And.Not.Contain("AKIA"));
            Assert.That(Redactor.Scrub("see https://h/x?signature_note=1&design=2"), Is.EqualTo("see https://h/x?signature_note=1&design=2"));
        });
    }

    [TestCase("https://bucket.s3.amazonaws.com/s/ses_1/?X-Amz-Signature=ab", true)]
    [TestCase("https://storage.googleapis.com/b/ses_1/?X-Goog-Signature=ab", true)]
    [TestCase("https://acct.blob.core.windows.net/c/ses_1?sv=2024&sig=ab", true)]
    [TestCase("http://127.0.0.1:5000/storage/ses_1/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab", true)]
    [TestCase("https://api.scribe.example.com/v1/sessions/ses_1/audio", false)]
    [TestCase("https://upload.scribe.example.com/v1/sessions/ses_1/audio?token_hint=1", false)]
    [TestCase("wss://api.scribe.example.com/v1/sessions/ses_1/stream?sig=ab", false)]
    public void PresignedUploadUrlsAreToldApart(string url, bool presigned) => Assert.That(PresignedUrl.Is(url), Is.EqualTo(presigned));

    [Test]
    public void AChunkIsPutToThePathWithTheSignatureKept() =>
        Assert.That(PresignedUrl.ObjectUrl("https://b.s3.amazonaws.com/s/ses_1/?X-Amz-Signature=ab", "audio_0.webm"),
            Is.EqualTo("https://b.s3.amazonaws.com/s/ses_1/audio_0.webm?X-Amz-Signature=ab"));

    /// <summary>A weak credential (an ordinary word) is masked where it stands alone, not inside other words (issue 11).</summary>
    [Test]
    public void AWeakCredentialIsMaskedAsAWordNotMidWord()
    {
        const string weak = "zebrafish";
        Redactor.RegisterSecret(weak);
        Assert.Multiple(() =>
        {
            Assert.That(Redactor.IsWeak(weak), Is.True);
            Assert.That(Redactor.IsWeak("sk_live_7f3a9c2e41b8d6"), Is.False);
            Assert.That(Redactor.Scrub("Bearer zebrafish; GET /x?api_key=zebrafish&y=1"), Is.EqualTo("Bearer [REDACTED]; GET /x?api_key=[REDACTED]&y=1"));
            Assert.That(Redactor.Scrub("zebrafishes are not the key"), Is.EqualTo("zebrafishes are not the key"), "prose keeps reading");
        });
    }

    [Test]
    public void TranscriptsAndTemplateDataAreMaskedByDefault()
    {
        var body = JsonNode.Parse("""{"status":"completed","transcript":"Patient presents with cough and fever for three days","patient_details":{"name":"John"},"templates":[{"t":{"status":"success","data":{"chief_complaint":"cough"}}}]}""")!;
        var masked = Redactor.MaskPatientData(body).ToJsonString();
        Assert.Multiple(() =>
        {
            Assert.That(masked, Does.Not.Contain("cough and fever").And.Not.Contain("John").And.Not.Contain("chief_complaint"));
            Assert.That(masked, Does.Contain("\"status\":\"success\"").And.Contain("masked"));
        });
    }
}

[TestFixture]
public class SpokenKeywordTests
{
    /// <summary>ISO-05 rests on it: each keyword is spoken in its own chunk (transcript.txt) and in no other.</summary>
    [Test]
    public void EachKeywordIsSpokenInItsChunkAndInNoOther()
    {
        var sections = new List<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(AudioFixtures.Directory, "transcript.txt")))
            if (line.StartsWith("# ", StringComparison.Ordinal)) sections.Add("");
            else if (sections.Count > 0) sections[^1] += line + "\n";
        Assert.That(sections, Has.Count.EqualTo(AudioFixtures.SpokenKeywords.Count));
        Assert.Multiple(() =>
        {
            for (var i = 0; i < sections.Count; i++)
                Assert.That(AudioFixtures.KeywordsIn(sections[i]), Is.EquivalentTo(AudioFixtures.SpokenKeywords[i]),
                    $"audio_{i}: {string.Join(", ", AudioFixtures.KeywordsIn(sections[i]))}");
        });
    }
}

[TestFixture]
public class ConfigurationTests
{
    /// <summary>The optional keys of issue 12 come from files too, so no credential need sit in the environment.</summary>
    [Test]
    public void TheSecondAndTheOtherTenantsKeysAreReadFromTheirFiles()
    {
        var dir = Directory.CreateTempSubdirectory("msa-keys-").FullName;
        File.WriteAllText(Path.Combine(dir, "second.key"), "second-key-value\n");
        File.WriteAllText(Path.Combine(dir, "tenant-b.key"), "  tenant-b-key-value ");
        File.WriteAllText(Path.Combine(dir, "empty.key"), "\n");
        var options = HarnessOptions.Load(["--second-token-file", Path.Combine(dir, "second.key"), "--other-tenant-token-file", Path.Combine(dir, "tenant-b.key")], dir);
        Assert.Multiple(() =>
        {
            Assert.That(options.SecondKey, Is.EqualTo("second-key-value"));
            Assert.That(options.OtherTenantToken, Is.EqualTo("tenant-b-key-value"));
            Assert.That(() => HarnessOptions.Load(["--other-tenant-token-file", Path.Combine(dir, "missing.key")], dir),
                Throws.TypeOf<ConfigurationError>().With.Message.Contains("--other-tenant-token-file").And.Message.Contains("does not exist"));
            Assert.That(() => HarnessOptions.Load(["--second-token-file", Path.Combine(dir, "empty.key")], dir),
                Throws.TypeOf<ConfigurationError>().With.Message.Contains("is empty"));
            Assert.That(options.ToRedactedJson(), Does.Not.Contain("tenant-b-key-value").And.Not.Contain("second-key-value"));
        });
    }

    /// <summary>
    /// Every setting a switch sets reaches the suites process (the CLI hands them over as MSA_ variables): a setting left
    /// out would be taken on the command line and silently ignored. The exceptions are read by the CLI itself.
    /// </summary>
    [Test]
    public void EverySwitchsSettingIsHandedToTheSuites()
    {
        var handedOver = File.ReadAllText(Path.Combine(CommandLineTests.RepoRoot, "suites", "Msa.Conformance.Cli", "Settings.cs"));
        string[] readByTheCli = ["ReportDir", "Repeat", "SignKey"]; // the CLI writes the reports, repeats the run and signs the evidence
        var missing = HarnessOptions.SwitchMappings.Values.Distinct().Where(key => !readByTheCli.Contains(key))
            // "MSA_Key" exactly, or a list's "MSA_Key__{i}".
            .Where(key => !System.Text.RegularExpressions.Regex.IsMatch(handedOver, $"\"MSA_{key.Replace(":", "__")}(\"|__\\{{)")).ToList();
        Assert.That(missing, Is.Empty, "settings a switch sets that Settings.ToEnvironment does not hand to the suites");
    }

    /// <summary>--webhook-cert reads a PEM certificate with its key and puts the receiver on https; a bad file or a tunnel besides it is a clear error.</summary>
    [Test]
    public void TheWebhookCertificateIsReadFromItsPemFileAndExcludesATunnel()
    {
        var dir = Directory.CreateTempSubdirectory("msa-webhook-cert-").FullName;
        using var made = Msa.Conformance.Http.SelfMadeCertificate.Make(System.Net.IPAddress.Loopback);
        var pem = Path.Combine(dir, "receiver.pem");
        File.WriteAllText(pem, made.ExportCertificatePem() + "\n" + System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(made)!.ExportPkcs8PrivateKeyPem());
        var certOnly = Path.Combine(dir, "cert-only.pem");
        File.WriteAllText(certOnly, made.ExportCertificatePem());
        var options = HarnessOptions.Load(["--webhook-cert", pem], dir);
        Assert.Multiple(() =>
        {
            Assert.That(options.Webhooks.Https, Is.True);
            Assert.That(options.Webhooks.ReceiverCertificate?.HasPrivateKey, Is.True);
            Assert.That(() => HarnessOptions.Load(["--webhook-cert", Path.Combine(dir, "missing.pem")], dir),
                Throws.TypeOf<ConfigurationError>().With.Message.Contains("--webhook-cert").And.Message.Contains("does not exist"));
            Assert.That(() => HarnessOptions.Load(["--webhook-cert", certOnly], dir),
                Throws.TypeOf<ConfigurationError>().With.Message.Contains("--webhook-cert"));
            Assert.That(() => HarnessOptions.Load(["--webhook-cert", pem, "--webhook-public-url", "https://tunnel.example"], dir),
                Throws.TypeOf<ConfigurationError>().With.Message.Contains("exclude each other"));
            Assert.That(options.ToRedactedJson(), Does.Not.Contain("PRIVATE KEY"));
        });
    }

    /// <summary>A configured template list replaces the default whole, from whichever source sets it (issue 11).</summary>
    [Test, NonParallelizable]
    public void AConfiguredTemplateListReplacesTheDefault()
    {
        var dir = Directory.CreateTempSubdirectory("msa-config-").FullName;
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), """{ "Templates": ["from_file_a", "from_file_b"] }""");
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(HarnessOptions.Load([], dir).Templates, Is.EqualTo(new[] { "from_file_a", "from_file_b" }), "appsettings.json");
                Assert.That(HarnessOptions.Load(["--templates", "soap, hpi"], dir).Templates, Is.EqualTo(new[] { "soap", "hpi" }), "--templates a,b");
                Environment.SetEnvironmentVariable("MSA_Templates__0", "from_env");
                Assert.That(HarnessOptions.Load([], dir).Templates, Is.EqualTo(new[] { "from_env" }), "MSA_Templates__0 alone, not merged with the file's second entry");
                Assert.That(HarnessOptions.Load(["--Templates:0=cli_only"], dir).Templates, Is.EqualTo(new[] { "cli_only" }), "--Templates:0=x");
                Environment.SetEnvironmentVariable("MSA_Templates__0", null);
                Environment.SetEnvironmentVariable("MSA_Templates", "one,two");
                Assert.That(HarnessOptions.Load([], dir).Templates, Is.EqualTo(new[] { "one", "two" }), "MSA_Templates=a,b");
                Environment.SetEnvironmentVariable("MSA_Templates", null);
                File.WriteAllText(Path.Combine(dir, "appsettings.json"), "{}");
                Assert.That(HarnessOptions.Load([], dir).Templates, Is.EqualTo(new[] { "eka_emr_template", "clinical_notes_template" }), "the default");
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable("MSA_Templates__0", null);
            Environment.SetEnvironmentVariable("MSA_Templates", null);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void CommandLineBeatsEnvironment()
    {
        Environment.SetEnvironmentVariable("MSA_Polling__DeadlineSeconds", "42");
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(HarnessOptions.Load([]).Polling.DeadlineSeconds, Is.EqualTo(42));
                Assert.That(HarnessOptions.Load(["--poll-deadline", "7"]).Polling.DeadlineSeconds, Is.EqualTo(7));
            });
        }
        finally { Environment.SetEnvironmentVariable("MSA_Polling__DeadlineSeconds", null); }
    }

    [TestCase("--poll-deadline", "0", "DeadlineSeconds")]
    [TestCase("--poll-deadline", "soon", "soon")]
    [TestCase("--auth", "basic", "Auth")]
    [TestCase("--target", "ftp://x", "Target")]
    [TestCase("--profile", "other", "Profile")]
    public void WrongValuesGiveAReadableError(string option, string value, string mentioned)
    {
        var e = Assert.Catch(() => HarnessOptions.Load([option, value]));
        Assert.That(e, Is.TypeOf<ConfigurationError>());
        Assert.That(e!.Message, Does.Contain(mentioned));
    }
}

/// <summary>How the one-page report names a non-verdict and groups its causes (issue 11).</summary>
[TestFixture]
public class ReportWordingTests
{
    [TestCase("not_applicable", "applies to profile msa-draft; this run uses profile ekascribe.", "other profile")]
    [TestCase("not_applicable", "discovery advertises no upload method", "not declared in discovery")]
    [TestCase("inconclusive", "Completed scenario: Create Session answered 500, see CRE-01", "not reached")]
    [TestCase("failed", "Expected: x", null)]
    public void ANonVerdictSaysWhichKindItIs(string status, string message, string? kind) =>
        Assert.That(Msa.Conformance.Reporting.NonVerdicts.Kind(status, message), Is.EqualTo(kind));

    [Test]
    public void RowsStoppedByOneCauseShareIt() =>
        Assert.That(Msa.Conformance.Reporting.NonVerdicts.CauseOf("Partial scenario: Create Session answered 500.\nmore"),
            Is.EqualTo(Msa.Conformance.Reporting.NonVerdicts.CauseOf("Partial scenario: Create Session answered 500.")));
}

/// <summary>evidence.har is an HTTP Archive 1.2 log a HAR reader accepts, redacted like every report (issue 13).</summary>
[TestFixture]
public class HarTests
{
    [Test]
    public async Task TheHarHoldsEveryExchangeInTheShapeHarReadersExpect()
    {
        var (server, scenarios) = await TestServers.ScenariosAsync();
        await using var running = server;
        using var target = scenarios.Target;
        var runs = await Task.WhenAll(new[] { Scenario.CreateSession, Scenario.UnknownSession, Scenario.Webhooks, Scenario.StreamJson }.Select(scenarios.Get));
        var text = Msa.Conformance.Reporting.HarWriter.ToJson(runs, fullEvidence: false, "test");
        var log = System.Text.Json.Nodes.JsonNode.Parse(text)!["log"]!;
        var entries = log["entries"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That((string?)log["version"], Is.EqualTo("1.2"));
            Assert.That((string?)log["creator"]!["name"], Is.EqualTo("msa-conformance"));
            Assert.That(entries, Has.Count.EqualTo(runs.Sum(r => r.Exchanges.Count(x => x.Method != StreamClient.Method))), "every HTTP exchange is an entry");
            foreach (var e in entries)
            {
                Assert.That(DateTimeOffset.TryParse((string?)e!["startedDateTime"], out _), "startedDateTime is ISO 8601");
                Assert.That(e["time"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number));
                foreach (var part in new[] { "request", "response", "cache", "timings" }) Assert.That(e[part], Is.Not.Null, part);
                foreach (var field in new[] { "method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize" })
                    Assert.That(e["request"]![field], Is.Not.Null, $"request.{field}");
                foreach (var field in new[] { "status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL", "headersSize", "bodySize" })
                    Assert.That(e["response"]![field], Is.Not.Null, $"response.{field}");
                Assert.That(e["response"]!["content"]!["mimeType"], Is.Not.Null);
            }
            Assert.That(entries.Any(e => (string?)e!["_direction"] == "received"), "webhook deliveries are entries too");
            var socket = entries.SingleOrDefault(e => (string?)e!["_resourceType"] == "websocket");
            Assert.That(socket?["response"]?["status"]?.GetValue<int>(), Is.EqualTo(101), "the opened stream is the 101 upgrade entry");
            var frames = socket?["_webSocketMessages"]?.AsArray() ?? [];
            Assert.That(frames.Select(f => (string?)f!["type"]), Has.Member("send").And.Member("receive"), "frames both ways (Chrome's _webSocketMessages)");
            Assert.That(frames.Any(f => ((string?)f!["data"])?.Contains("\"event\":\"start\"") == true), "the start event is there");
            Assert.That(text, Does.Not.Contain(scenarios.Target.Options.Token), "no credential");
            Assert.That(text, Does.Contain("[REDACTED]"));
        });
    }
}

/// <summary>Signed evidence: an edited report, an edited verdict, a removed file and a wrong key are each detected (issue 13).</summary>
[TestFixture]
public class EvidenceSignatureTests
{
    private static (string Dir, string PrivatePem, string PublicPem) SignedReports()
    {
        var dir = Directory.CreateTempSubdirectory("msa-evidence-").FullName;
        File.WriteAllText(Path.Combine(dir, "summary.json"), """{"verdict":"not_conformant","exit_code":1}""");
        Directory.CreateDirectory(Path.Combine(dir, "checks"));
        File.WriteAllText(Path.Combine(dir, "checks", "create-session.201.json"), """{"status":"failed"}""");
        File.WriteAllText(Path.Combine(dir, "conformance-report.html"), "<html>report</html>");
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var privatePem = key.ExportECPrivateKeyPem();
        var keyFile = Path.Combine(Path.GetTempPath(), $"msa-key-{Guid.NewGuid():N}.pem");
        File.WriteAllText(keyFile, privatePem);
        using (var loaded = Msa.Conformance.Reporting.EvidenceSignature.LoadPrivateKey(keyFile))
            Msa.Conformance.Reporting.EvidenceSignature.Write(dir, loaded);
        File.Delete(keyFile);
        return (dir, privatePem, key.ExportSubjectPublicKeyInfoPem());
    }

    private static IReadOnlyList<string> Verify(string dir, string publicPem) => Msa.Conformance.Reporting.EvidenceSignature.Verify(dir, publicPem);

    [Test]
    public void IntactEvidenceVerifiesAndTheKeyIsInNoFile()
    {
        var (dir, privatePem, publicPem) = SignedReports();
        Assert.Multiple(() =>
        {
            Assert.That(Verify(dir, publicPem), Is.Empty);
            Assert.That(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(f => File.ReadAllText(f).Contains("PRIVATE KEY")), Is.Empty);
            Assert.That(File.ReadAllText(Path.Combine(dir, "evidence-manifest.txt")), Does.Contain("  checks/create-session.201.json"), "sha256sum's format");
        });
        _ = privatePem;
    }

    [Test]
    public void AnEditedReportIsNamed()
    {
        var (dir, _, publicPem) = SignedReports();
        File.AppendAllText(Path.Combine(dir, "conformance-report.html"), "<!-- edited -->");
        Assert.That(Verify(dir, publicPem), Is.EqualTo(new[] { "changed: conformance-report.html" }));
    }

    [Test]
    public void AnEditedVerdictIsNamed()
    {
        var (dir, _, publicPem) = SignedReports();
        File.WriteAllText(Path.Combine(dir, "summary.json"), """{"verdict":"conformant","exit_code":0}""");
        Assert.That(Verify(dir, publicPem), Is.EqualTo(new[] { "changed: summary.json" }));
    }

    [Test]
    public void ARemovedFileIsNamed()
    {
        var (dir, _, publicPem) = SignedReports();
        File.Delete(Path.Combine(dir, "checks", "create-session.201.json"));
        Assert.That(Verify(dir, publicPem), Is.EqualTo(new[] { "missing: checks/create-session.201.json" }));
    }

    [Test]
    public void AWrongKeyOrAnEditedManifestFailsTheSignature()
    {
        var (dir, _, _) = SignedReports();
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Assert.That(Verify(dir, other.ExportSubjectPublicKeyInfoPem()), Has.Some.Contains("the signature does not match"));
        var (dir2, _, publicPem2) = SignedReports();
        var manifest = Path.Combine(dir2, "evidence-manifest.txt");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("summary.json", "summary.json\n" + new string('0', 64) + "  extra.txt"));
        Assert.That(Verify(dir2, publicPem2), Has.Some.Contains("the signature does not match"));
    }
}
