using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;

namespace Msa.Conformance.Scenarios;

/// <summary>What one stream upload did: how the socket opened, what was sent, and how it closed.</summary>
public sealed record StreamObservation(
    string WireFormat, int SampleRate, bool OpenedAsReturned, bool OpenedWithAuthorization, string? OpenError,
    int FramesSent, long BytesSent, int? CloseStatus, string? CloseDescription, string? Error)
{
    public bool Opened => OpenedAsReturned || OpenedWithAuthorization;

    /// <summary>Every frame went out and the socket ended in a normal closure (1000), however it started.</summary>
    public bool Accepted => Opened && Error is null && (CloseStatus is null or (int)WebSocketCloseStatus.NormalClosure) && !ClosedEarly;

    /// <summary>The server closed before the client had sent everything.</summary>
    public bool ClosedEarly { get; init; }

    /// <summary>Every frame each way, for the HAR (Chrome's _webSocketMessages): binary data shortened to its first bytes.</summary>
    public IReadOnlyList<WebSocketFrame> Frames { get; init; } = [];
}

/// <summary>One WebSocket frame as HAR readers show it: send or receive, Unix time in seconds, opcode (1 text, 2 binary, 8 close), data.</summary>
public sealed record WebSocketFrame(string Type, double Time, int Opcode, string Data);

/// <summary>
/// EkaScribe's Stream Audio client (digest §6): opens the upload_url exactly as returned (once more with the credential
/// when refused, CF-60), sends 100 ms of 16-bit little-endian mono PCM per frame, paced like a microphone
/// (--stream-speed times real time), as binary frames or as JSON start / media / stop, and records the close. Every
/// connect, send and receive has a deadline.
/// </summary>
public static class StreamClient
{
    public const string Method = "WS";

    public static async Task<StreamObservation> SendAsync(ScenarioRun run, Uri url, string wireFormat, int rate, byte[] pcm, HarnessOptions options, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(options.Http.TimeoutSeconds);
        var (socket, asReturned) = await OpenAsync(run, url, withCredential: false, options, timeout, ct);
        var withCredential = false;
        if (socket is null)
        {
            (socket, _) = await OpenAsync(run, url, withCredential: true, options, timeout, ct);
            withCredential = socket is not null;
            if (socket is null)
                return new StreamObservation(wireFormat, rate, false, false, asReturned.TransportError ?? $"HTTP {asReturned.Status}", 0, 0, null, null, null);
        }
        using var open = socket;
        var started = DateTimeOffset.UtcNow;
        var frameBytes = rate / 10 * 2;
        var pace = TimeSpan.FromMilliseconds(100.0 / Math.Max(1, options.StreamSpeed));
        var frames = 0;
        long bytes = 0;
        string? error = null;
        var closedEarly = false;
        var log = new System.Collections.Concurrent.ConcurrentQueue<WebSocketFrame>();
        void Log(string type, int opcode, string data) => log.Enqueue(new(type, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, opcode, data));
        var receiving = ReceiveUntilCloseAsync(socket, Log, ct);
        try
        {
            if (wireFormat == "json")
            {
                var format = new JsonObject { ["encoding"] = "audio/x-l16" };
                if (rate != 16000) format["sampleRate"] = rate; // 16000 is the default when absent
                await SendTextAsync(socket, new JsonObject { ["event"] = "start", ["start"] = new JsonObject { ["mediaFormat"] = format } }, timeout, ct, Log);
            }
            var next = DateTimeOffset.UtcNow;
            for (var offset = 0; offset < pcm.Length; offset += frameBytes)
            {
                if (receiving.IsCompleted) { closedEarly = true; break; }
                var frame = pcm.AsMemory(offset, Math.Min(frameBytes, pcm.Length - offset));
                if (wireFormat == "json")
                    await SendTextAsync(socket, new JsonObject { ["event"] = "media", ["media"] = new JsonObject { ["payload"] = Convert.ToBase64String(frame.Span) } }, timeout, ct, Log);
                else
                {
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    deadline.CancelAfter(timeout);
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, true, deadline.Token);
                    Log("send", 2, Shortened(frame.Span));
                }
                frames++;
                bytes += frame.Length;
                next += pace;
                if (next > DateTimeOffset.UtcNow) await Task.Delay(next - DateTimeOffset.UtcNow, ct);
            }
            if (!closedEarly)
            {
                if (wireFormat == "json") await SendTextAsync(socket, new JsonObject { ["event"] = "stop" }, timeout, ct, Log);
                else
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", ct);
                    Log("send", 8, "1000 done");
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            error = e is OperationCanceledException ? "a send timed out" : e.Message;
            closedEarly = receiving.IsCompleted;
        }
        // The server's close, within the deadline (a stop is answered by the server closing; a client close, by its echo).
        if (await Task.WhenAny(receiving, Task.Delay(timeout, ct)) != receiving && socket.State == WebSocketState.Open)
            try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "no close from the server", ct); } catch (WebSocketException) { }
        var observation = new StreamObservation(wireFormat, rate, !withCredential, withCredential, null, frames, bytes,
            (int?)socket.CloseStatus, socket.CloseStatusDescription, error) { ClosedEarly = closedEarly, Frames = [.. log] };
        run.Record(new Exchange
        {
            Step = $"stream {wireFormat} PCM at {rate} Hz", Method = Method, Url = url.ToString(),
            RequestHeaders = [new("Frames", $"{frames} of 100 ms, {bytes} bytes, {options.StreamSpeed}× real time{(wireFormat == "json" ? ", start/media/stop" : ", binary")}")],
            StartedAt = started, Elapsed = DateTimeOffset.UtcNow - started,
            Body = $"{frames} frame(s), {bytes} bytes sent; {(closedEarly ? "the server closed the socket before everything was sent" : "everything sent")}; "
                + $"close {(socket.CloseStatus is { } s ? $"{(int)s} {s}" : "none")}{(socket.CloseStatusDescription is { Length: > 0 } d ? $" \"{d}\"" : "")}"
                + (error is null ? "" : $"; error: {error}"),
        });
        return observation;
    }

    /// <summary>One connection attempt, recorded; the socket when it opened.</summary>
    private static async Task<(ClientWebSocket? Socket, Exchange Attempt)> OpenAsync(ScenarioRun run, Uri url, bool withCredential,
        HarnessOptions options, TimeSpan timeout, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (options.Insecure) socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        else if (MsaClient.CertificateValidation(options) is { } validate) socket.Options.RemoteCertificateValidationCallback = validate;
        var headers = new List<KeyValuePair<string, string>>();
        if (withCredential)
        {
            var (name, value) = options.AuthScheme == AuthScheme.Bearer ? ("Authorization", $"Bearer {options.Token}") : ("X-API-Key", options.Token);
            socket.Options.SetRequestHeader(name, value);
            headers.Add(new(name, Redactor.HeaderValue(name, value)));
        }
        var started = DateTimeOffset.UtcNow;
        var x = new Exchange
        {
            Step = withCredential ? "open the stream once more, with the credential (CF-60)" : "open the stream exactly as returned",
            Method = "GET", Url = url.ToString(), RequestHeaders = [new("Upgrade", "websocket"), .. headers], StartedAt = started,
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(url, deadline.Token);
            x.Status = (int)socket.HttpStatusCode;
            x.Body = "the WebSocket opened";
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException && !ct.IsCancellationRequested)
        {
            x.Status = (int)socket.HttpStatusCode;
            if (x.Status == 0) x.TransportError = e is OperationCanceledException ? "the WebSocket handshake timed out" : e.Message;
            else x.Body = e.Message;
            socket.Dispose();
            socket = null;
        }
        x.Elapsed = DateTimeOffset.UtcNow - started;
        run.Record(x);
        return (socket, x);
    }

    private static async Task SendTextAsync(WebSocket socket, JsonObject message, TimeSpan timeout, CancellationToken ct, Action<string, int, string> log)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var text = message.ToJsonString();
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, deadline.Token);
        log("send", 1, text.Length <= 120 ? text : text[..120] + $"… ({text.Length} chars)");
    }

    private static string Shortened(ReadOnlySpan<byte> data) => Convert.ToBase64String(data[..Math.Min(24, data.Length)]) + (data.Length > 24 ? $"… ({data.Length} bytes)" : "");

    /// <summary>Reads (and drops) whatever the server sends until it closes; ends on its close or a broken socket.</summary>
    private static async Task ReceiveUntilCloseAsync(WebSocket socket, Action<string, int, string> log, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var got = await socket.ReceiveAsync(buffer, ct);
                if (got.MessageType == WebSocketMessageType.Close)
                {
                    log("receive", 8, $"{(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
                    return;
                }
                log("receive", got.MessageType == WebSocketMessageType.Text ? 1 : 2,
                    got.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, got.Count) : Shortened(buffer.AsSpan(0, got.Count)));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }

    /// <summary>The PCM of a 16-bit mono WAV (its data chunk), at 16 kHz or, every other sample, at 8 kHz.</summary>
    public static byte[] Pcm(byte[] wav, int rate)
    {
        var at = 12;
        while (at + 8 <= wav.Length && Encoding.ASCII.GetString(wav, at, 4) != "data") at += 8 + BitConverter.ToInt32(wav, at + 4);
        var length = Math.Min(BitConverter.ToInt32(wav, at + 4), wav.Length - at - 8);
        var pcm = wav.AsSpan(at + 8, length);
        if (rate == 16000) return pcm.ToArray();
        var halved = new byte[pcm.Length / 4 * 2];
        for (int i = 0, j = 0; j + 1 < halved.Length; i += 4, j += 2) (halved[j], halved[j + 1]) = (pcm[i], pcm[i + 1]);
        return halved;
    }
}
