using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Msa.Conformance.Checks;
using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Tests;

/// <summary>
/// A deliberately misbehaving server: discovery, Create, Upload and End are fine, then Get Session misbehaves in one
/// way. Each case proves the harness gives a clear verdict with an excerpt of what came back, and finishes.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    public string Root { get; }
    public int RequestsWithCredential;

    private HostileServer(WebApplication app, string root) { _app = app; Root = root; }

    public static async Task<HostileServer> StartAsync(Func<HttpContext, Task> getSession)
    {
        var b = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        b.Logging.ClearProviders();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        var app = b.Build();
        HostileServer? self = null;
        app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Headers.Authorization.Count > 0) Interlocked.Increment(ref self!.RequestsWithCredential);
            await next();
        });
        app.MapGet("/v1/.well-known/medscribealliance", (HttpContext c) => Results.Json(new JsonObject
        {
            ["protocol"] = "medscribealliance", ["protocol_version"] = "0.1",
            ["endpoints"] = new JsonObject { ["base_url"] = $"{c.Request.Scheme}://{c.Request.Host}/v1" },
        }));
        var created = 0;
        // A distinct id per Create (a repeated one is CRE-09's finding and leaves every scenario but the first without a session).
        app.MapPost("/v1/sessions", (HttpContext c) =>
        {
            var id = IdOf(Interlocked.Increment(ref created));
            return Results.Json(new JsonObject
            {
                ["session_id"] = id, ["status"] = "created", ["created_at"] = "2026-01-01T00:00:00Z",
                ["expires_at"] = "2099-01-01T00:00:00Z", ["upload_url"] = $"{c.Request.Scheme}://{c.Request.Host}/v1/sessions/{id}/audio",
            }, statusCode: 201);
        });
        app.MapPost("/v1/sessions/{id}/audio/{file}", () => Results.Json(new { success = true }));
        app.MapPost("/v1/sessions/{id}/end", () => Results.Json(new { status = "processing" }, statusCode: 202));
        app.MapGet("/v1/sessions/{id}", getSession);
        await app.StartAsync();
        self = new HostileServer(app, app.Urls.First() + "/v1");
        return self;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>The n-th session id; all have the length of <see cref="FirstId"/>, so a canned body can name the one asked for.</summary>
    public static string IdOf(int n) => $"ses_hostile{n:D8}";

    public const string FirstId = "ses_hostile00000001";

    /// <summary>The canned body with the first id (bytes, possibly not UTF-8) replaced by the id the GET asked for.</summary>
    public static byte[] ForSession(byte[] body, string? id)
    {
        var first = Encoding.ASCII.GetBytes(FirstId);
        if (id is null || id == FirstId || id.Length != FirstId.Length) return body;
        var copy = (byte[])body.Clone();
        for (var at = copy.AsSpan().IndexOf(first); at >= 0; at = copy.AsSpan().IndexOf(first))
            Encoding.ASCII.GetBytes(id).CopyTo(copy, at);
        return copy;
    }
}

[TestFixture]
public class HostileServerTests
{
    private static async Task<(CheckResult Result, ScenarioRun Run, TimeSpan Elapsed)> CompletedCheckAgainst(
        HostileServer server, int deadlineSeconds = 3, int timeoutSeconds = 5, Check? check = null)
    {
        var options = new HarnessOptions
        {
            Target = server.Root, Token = "hostile-token",
            Polling = new PollingOptions { IntervalMs = 100, DeadlineSeconds = deadlineSeconds, StabilityGets = 1 },
            Http = new HttpOptions { TimeoutSeconds = timeoutSeconds, MaxBodyBytes = 1024 * 1024 },
        };
        using var target = await Target.ConnectAsync(options);
        var scenarios = new ScenarioSet(target);
        var clock = Stopwatch.StartNew();
        var result = await scenarios.EvaluateAsync(check ?? GetSessionPairing.CompletedIs200);
        return (result, await scenarios.Get(Scenario.Completed), clock.Elapsed);
    }

    private static Func<HttpContext, Task> Reply(int status, string? contentType, byte[] body) => async c =>
    {
        c.Response.StatusCode = status;
        if (contentType is not null) c.Response.ContentType = contentType;
        await c.Response.Body.WriteAsync(HostileServer.ForSession(body, c.Request.RouteValues["id"] as string));
    };

    [Test]
    public async Task AnHtmlErrorPageFailsWithAnExcerpt()
    {
        await using var server = await HostileServer.StartAsync(Reply(500, "text/html", "<html><body>Internal Server Error: upstream down</body></html>"u8.ToArray()));
        var (result, _, _) = await CompletedCheckAgainst(server);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed));
            Assert.That(result.Message, Does.Contain("HTML").And.Contain("upstream down"));
        });
    }

    [Test]
    public async Task TruncatedJsonFailsAndSaysSo()
    {
        await using var server = await HostileServer.StartAsync(Reply(200, "application/json", "{\"session_id\":\"ses_hostile00000001\",\"status\":\"compl"u8.ToArray()));
        var (result, _, _) = await CompletedCheckAgainst(server);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed));
            Assert.That(result.Message, Does.Contain("not valid JSON").And.Contain("\"status\":\"compl"));
        });
    }

    [Test]
    public async Task InvalidUtf8IsReportedNotCrashedOn()
    {
        await using var server = await HostileServer.StartAsync(Reply(200, "application/json", [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
        var (result, _, _) = await CompletedCheckAgainst(server);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed));
            Assert.That(result.Message, Does.Contain("not valid UTF-8"));
        });
    }

    [Test]
    public async Task AMissingContentTypeFailsTheContentTypeCheck()
    {
        var body = Encoding.UTF8.GetBytes("""{"session_id":"ses_hostile00000001","status":"completed"}""");
        await using var server = await HostileServer.StartAsync(Reply(200, null, body));
        var (result, _, _) = await CompletedCheckAgainst(server, check: GetSessionPairing.JsonContentType);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed));
            Assert.That(result.Message, Does.Contain("no Content-Type"));
        });
    }

    [Test]
    public async Task AHugeBodyIsReadOnlyUpToTheCap()
    {
        var fullySent = 0;
        await using var server = await HostileServer.StartAsync(async c =>
        {
            c.Response.ContentType = "application/json";
            var block = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            await c.Response.Body.WriteAsync("{\"pad\":\""u8.ToArray());
            try
            {
                for (var i = 0; i < 800; i++) await c.Response.Body.WriteAsync(block, c.RequestAborted); // 50 MB
                await c.Response.Body.FlushAsync(c.RequestAborted);
                await Task.Delay(300);
                // Kestrel turns writes to a closed connection into no-ops; RequestAborted says whether the client hung up.
                if (!c.RequestAborted.IsCancellationRequested) Interlocked.Increment(ref fullySent);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException) { } // the harness hung up: expected
        });
        var (result, run, _) = await CompletedCheckAgainst(server);
        Assert.Multiple(() =>
        {
            Assert.That(run.Terminal?.BodyTruncated, Is.True);
            Assert.That(run.Terminal!.Body.Length, Is.LessThanOrEqualTo(1024 * 1024));
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed));
            Assert.That(result.Message, Does.Contain("truncated"));
            Assert.That(fullySent, Is.EqualTo(0), "the harness must hang up after the cap, not download all 50 MB");
        });
    }

    [Test]
    public async Task ABodyTrickledByteByByteTimesOutAndTheWaitEndsInconclusive()
    {
        await using var server = await HostileServer.StartAsync(async c =>
        {
            c.Response.ContentType = "application/json";
            try
            {
                foreach (var b in "{\"status\":\"completed\"}"u8.ToArray())
                {
                    await c.Response.Body.WriteAsync(new[] { b }, c.RequestAborted);
                    await c.Response.Body.FlushAsync(c.RequestAborted);
                    await Task.Delay(1000, c.RequestAborted);
                }
            }
            catch (OperationCanceledException) { }
        });
        var (result, run, elapsed) = await CompletedCheckAgainst(server, deadlineSeconds: 4, timeoutSeconds: 3);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive), result.Message);
            Assert.That(run.Polls.First().TransportError, Does.Contain("timed out"));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
        });
    }

    [Test]
    public async Task AConnectionResetMidBodyIsANetworkErrorNotAFailure()
    {
        await using var server = await HostileServer.StartAsync(async c =>
        {
            c.Response.ContentType = "application/json";
            await c.Response.Body.WriteAsync("{\"session_id\":\"ses_hos"u8.ToArray());
            await c.Response.Body.FlushAsync();
            c.Abort();
        });
        var (result, run, _) = await CompletedCheckAgainst(server, deadlineSeconds: 2);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive), result.Message);
            Assert.That(run.Polls.First().TransportError, Is.Not.Null);
        });
    }

    [Test]
    public async Task AnEndlessRedirectLoopIsNotFollowed()
    {
        var hits = 0;
        await using var server = await HostileServer.StartAsync(c =>
        {
            Interlocked.Increment(ref hits);
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = c.Request.Path.Value;
            return Task.CompletedTask;
        });
        var (result, run, _) = await CompletedCheckAgainst(server);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed));
            Assert.That(result.Message, Does.Contain("302"));
            Assert.That(hits, Is.EqualTo(run.SessionGets.Count()), "one request per GET: no redirect is followed");
        });
    }

    [Test]
    public async Task TheCredentialIsNeverSentToAnotherOrigin()
    {
        await using var other = await HostileServer.StartAsync(Reply(200, "application/json", "{}"u8.ToArray()));
        await using var server = await HostileServer.StartAsync(c =>
        {
            c.Response.StatusCode = 307;
            c.Response.Headers.Location = other.Root + "/sessions/ses_hostile00000001";
            return Task.CompletedTask;
        });
        var (result, _, _) = await CompletedCheckAgainst(server);
        Assert.Multiple(() =>
        {
            Assert.That(other.RequestsWithCredential, Is.EqualTo(0));
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Failed));
            Assert.That(result.Message, Does.Contain("307"));
        });
    }

    [TestCase("seconds")]
    [TestCase("http-date")]
    public async Task ThrottlingIsHonouredAndEndsInconclusiveAtTheDeadline(string form)
    {
        await using var server = await HostileServer.StartAsync(async c =>
        {
            c.Response.StatusCode = 503;
            c.Response.Headers.RetryAfter = form == "seconds" ? "1" : DateTimeOffset.UtcNow.AddSeconds(2).ToString("R");
            await c.Response.WriteAsJsonAsync(new { error = new { code = "service_unavailable", message = "busy" } });
        });
        var (result, run, elapsed) = await CompletedCheckAgainst(server, deadlineSeconds: 4);
        var gaps = run.Polls.Zip(run.Polls.Skip(1), (a, b) => (b.StartedAt - a.StartedAt).TotalSeconds).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Inconclusive));
            Assert.That(result.Message, Does.Contain("deadline"));
            Assert.That(gaps, Is.Not.Empty.And.All.GreaterThanOrEqualTo(0.9), "polls must wait as Retry-After says");
            Assert.That(run.Timeline.First().Note, Does.Contain("throttled"));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(12)));
        });
    }
}

/// <summary>The evidence shows the request as it left: every recorded header is what the server received (issue 11).</summary>
[TestFixture]
public class WireEvidenceTests
{
    [Test]
    public async Task RecordedRequestHeadersAreTheOnesTheServerReceived()
    {
        var b = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        b.Logging.ClearProviders();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = b.Build();
        Dictionary<string, string>? received = null;
        app.MapPost("/upload", (HttpContext c) =>
        {
            received = c.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            return Results.Ok();
        });
        await app.StartAsync();
        var root = app.Urls.First();
        using var client = new Http.MsaClient(new HarnessOptions { Target = root, Token = "wire-token-5b7c9e" });
        var x = await client.SendAsync("upload audio_0.webm", RestSharp.Method.Post, root + "/upload", raw: [1, 2, 3], rawContentType: "audio/webm;codecs=opus");
        Assert.Multiple(() =>
        {
            Assert.That(received!["Content-Type"], Is.EqualTo("audio/webm;codecs=opus"), "sent exactly as discovery spells it");
            foreach (var (name, value) in x.RequestHeaders.Where(h => h.Key != "Authorization"))
                Assert.That(received.GetValueOrDefault(name), Is.EqualTo(value), $"header {name} as recorded");
            Assert.That(x.RequestHeaders.Single(h => h.Key == "Authorization").Value, Is.EqualTo("Bearer [REDACTED]"));
            Assert.That(received["Authorization"], Is.EqualTo("Bearer wire-token-5b7c9e"));
            Assert.That(x.RequestText(), Does.Not.Contain("wire-token-5b7c9e"));
        });
    }
}

/// <summary>A server that closes a kept-alive connection after an error, as uvicorn was seen to: the next request is resent, never judged.</summary>
[TestFixture]
public class StaleConnectionTests
{
    [Test]
    public async Task ARequestOnAConnectionTheServerClosedIsSentOnceMoreAndNoted()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var served = 0;
        _ = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(cts.Token);
                _ = Task.Run(async () =>
                {
                    using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                    for (var onThisConnection = 0; ; onThisConnection++)
                    {
                        if (!await ReadRequestAsync(stream)) return;
                        // The first answer on a connection is an error kept alive; a second request on it finds it closed.
                        if (onThisConnection > 0) return;
                        var status = Interlocked.Increment(ref served) == 1 ? "500 Internal Server Error" : "200 OK";
                        var body = status.StartsWith("500") ? """{"error":{"code":"internal_error","message":"boom"}}""" : """{"ok":true}""";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: keep-alive\r\n\r\n{body}"));
                    }
                });
            }
        });
        var root = $"http://127.0.0.1:{port}";
        using var client = new Http.MsaClient(new HarnessOptions { Target = root, Token = "t" });
        var first = await client.SendAsync("first", RestSharp.Method.Post, root + "/sessions", new { a = 1 });
        var second = await client.SendAsync("second", RestSharp.Method.Post, root + "/sessions", new { a = 2 });
        await cts.CancelAsync();
        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo(500));
            Assert.That(second.TransportError, Is.Null, "the stale connection is not a verdict");
            Assert.That(second.Status, Is.EqualTo(200));
            Assert.That(second.Note, Does.Contain("sent once more"));
            Assert.That(second.ResponseText(false), Does.Contain("note:"));
        });
    }

    /// <summary>Reads one request (headers, then Content-Length bytes); false when the client closed the connection.</summary>
    private static async Task<bool> ReadRequestAsync(Stream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0) return false;
            head.Append((char)one[0]);
        }
        var length = head.ToString().Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => int.Parse(p[1].Trim())).FirstOrDefault();
        var body = new byte[length];
        for (var read = 0; read < length;) read += await stream.ReadAsync(body.AsMemory(read));
        return true;
    }
}
