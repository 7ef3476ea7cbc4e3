using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Endpoints;

/// <summary>
/// EkaScribe's Stream Audio (digest §6) at a stream session's upload_url, ws(s)://{base}/sessions/{id}/stream: binary
/// frames of 16-bit little-endian mono PCM, or JSON text frames start (mediaFormat.sampleRate, 16000 when absent) /
/// media (base64 PCM) / stop. The PCM is kept as numbered audio files of at most 10 s; closing or stop does not end the
/// session, End does. Opened exactly as returned: the URL itself names the session (CF-60).
/// </summary>
internal static class StreamEndpoints
{
    private const int MaxMessageBytes = 1024 * 1024;
    private const int SecondsPerFile = 10;

    public static string StreamUrlFor(string baseUrl, string id) =>
        (baseUrl.StartsWith("https:", StringComparison.Ordinal) ? "wss:" + baseUrl["https:".Length..] : "ws:" + baseUrl["http:".Length..])
        + $"/sessions/{Uri.EscapeDataString(id)}/stream";

    public static IEndpointRouteBuilder MapStream(this IEndpointRouteBuilder root)
    {
        root.MapGet("/sessions/{id}/stream", Stream);
        return root;
    }

    private static async Task<IResult> Stream(string id, HttpContext http, SessionStore store, ServerSettings settings, FaultInjector faults)
    {
        if (!http.WebSockets.IsWebSocketRequest) return ApiError.InvalidRequest("Open this upload_url as a WebSocket.");
        if (store.Find(id) is not { UploadType: "stream" } session || faults.StreamRefusesConnection) return ApiError.SessionNotFound(id);
        if (session.Snapshot().PhaseAt(store.Now(), settings.ProcessingTime) != SessionPhase.Initialized) return ApiError.SessionEnded(id);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var pcm = new MemoryStream();
        var rate = 16000;
        var ct = http.RequestAborted;
        void Flush(bool all)
        {
            while (pcm.Length > 0 && (all || pcm.Length >= rate * 2L * SecondsPerFile))
            {
                var take = (int)Math.Min(pcm.Length, rate * 2L * SecondsPerFile);
                var data = pcm.GetBuffer().AsSpan(0, take).ToArray();
                var rest = pcm.GetBuffer().AsSpan(take, (int)pcm.Length - take).ToArray();
                pcm.SetLength(0);
                pcm.Write(rest);
                if (faults.StreamAudioLost) continue;
                var sequence = session.Snapshot().AudioFiles.Count;
                session.TryAddAudio(sequence, $"{sequence}.wav", SpokenText.Of(Wav(data, rate)));
            }
        }
        try
        {
            while (true)
            {
                var (type, message) = await ReceiveAsync(socket, ct);
                if (type is WebSocketMessageType.Close or null) break;
                if (type == WebSocketMessageType.Binary)
                {
                    if (faults.StreamRefusesBinaryFrames) { await socket.CloseAsync(WebSocketCloseStatus.InvalidMessageType, "binary frames are not accepted", ct); return Results.Empty; }
                    pcm.Write(message);
                }
                else
                {
                    if (faults.StreamRefusesJsonFrames) { await socket.CloseAsync(WebSocketCloseStatus.InvalidMessageType, "text frames are not accepted", ct); return Results.Empty; }
                    JsonObject? frame;
                    try { frame = JsonNode.Parse(message) as JsonObject; }
                    catch (JsonException) { frame = null; }
                    switch ((string?)frame?["event"])
                    {
                        case "start":
                            rate = frame!["start"]?["mediaFormat"]?["sampleRate"] is JsonValue r && r.TryGetValue<int>(out var given) ? given : 16000;
                            if (rate != 16000 && faults.StreamRefusesOtherSampleRates)
                            {
                                await socket.CloseAsync(WebSocketCloseStatus.InvalidPayloadData, "only 16000 Hz is accepted", ct);
                                return Results.Empty;
                            }
                            break;
                        case "media" when Payload(frame!) is { } payload:
                            pcm.Write(payload);
                            break;
                        case "stop":
                            Flush(all: true);
                            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "stopped", ct);
                            return Closed(session, store, faults);
                        default:
                            await socket.CloseAsync(WebSocketCloseStatus.InvalidPayloadData, "expected a start, media or stop event", ct);
                            return Results.Empty;
                    }
                }
                Flush(all: false);
            }
            Flush(all: true);
            if (socket.State == WebSocketState.CloseReceived) await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closed", ct);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { Flush(all: true); }
        return Closed(session, store, faults);
    }

    /// <summary>The stream is over; only End starts processing (StreamCloseStartsProcessing: the close does).</summary>
    private static IResult Closed(Session session, SessionStore store, FaultInjector faults)
    {
        if (faults.StreamCloseStartsProcessing)
            session.TryEnd(store.Now(), session.Snapshot().AudioFiles.Count, files => CannedResults.DocumentsFor(session.RequestedTemplates, files));
        return Results.Empty;
    }

    private static byte[]? Payload(JsonObject frame)
    {
        if (frame["media"]?["payload"] is not JsonValue p || !p.TryGetValue<string>(out var text)) return null;
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { return null; }
    }

    private static async Task<(WebSocketMessageType? Type, byte[] Data)> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var part = await socket.ReceiveAsync(buffer, ct);
            if (part.MessageType == WebSocketMessageType.Close) return (WebSocketMessageType.Close, []);
            message.Write(buffer, 0, part.Count);
            if (message.Length > MaxMessageBytes)
            {
                await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "a frame is at most 1 MiB", ct);
                return (null, []);
            }
            if (part.EndOfMessage) return (part.MessageType, message.ToArray());
        }
    }

    /// <summary>The PCM as a 16-bit mono WAV file.</summary>
    public static byte[] Wav(byte[] pcm, int rate)
    {
        using var wav = new MemoryStream();
        using var w = new BinaryWriter(wav);
        w.Write("RIFF"u8); w.Write(36 + pcm.Length); w.Write("WAVEfmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1);
        w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16); w.Write("data"u8); w.Write(pcm.Length); w.Write(pcm);
        w.Flush();
        return wav.ToArray();
    }
}
