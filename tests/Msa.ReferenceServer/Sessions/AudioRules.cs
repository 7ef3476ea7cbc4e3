using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Msa.ReferenceServer.Http;

namespace Msa.ReferenceServer.Sessions;

/// <summary>Upload rules: chunk names, accepted audio types and the size limit.</summary>
internal static partial class AudioRules
{
    public const long MaxChunkBytes = 10 * 1024 * 1024;

    /// <summary>The formats discovery advertises.</summary>
    public static readonly string[] AdvertisedFormats = ["audio/wav", "audio/ogg", "audio/webm;codecs=opus"];

    /// <summary>What an upload may declare: the advertised formats plus audio/ogg;codecs=opus (Upload Audio page).</summary>
    private static readonly string[] AcceptedFormats = [.. AdvertisedFormats, "audio/ogg;codecs=opus"];

    private static readonly FrozenDictionary<string, string> FormatByExtension = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["wav"] = "audio/wav",
        ["ogg"] = "audio/ogg",
        ["webm"] = "audio/webm;codecs=opus",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"^(?<base>.+)_(?<n>[0-9]{1,9})\.(?<ext>[A-Za-z0-9]{1,10})$")]
    private static partial Regex ChunkName();

    /// <summary><c>&lt;base&gt;_&lt;n&gt;.&lt;ext&gt;</c> is stored as <c>{n}.{ext}</c>, e.g. audio_0.wav as 0.wav.</summary>
    public static bool TryParseName(string fileName, out int sequence, out string storedName, out string extension, out JsonReply error)
    {
        var match = ChunkName().Match(fileName);
        if (!match.Success)
        {
            (sequence, storedName, extension) = (0, "", "");
            error = ApiError.InvalidRequest($"File name '{fileName}' must have the form <base>_<sequence>.<ext>, e.g. audio_0.wav.");
            return false;
        }
        sequence = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        extension = match.Groups["ext"].Value;
        storedName = $"{sequence}.{extension}";
        error = null!;
        return true;
    }

    /// <summary>The declared type when it is accepted; absent or application/octet-stream is inferred from the extension.</summary>
    public static bool TryResolveFormat(string? contentType, string extension, out string format, out JsonReply error)
    {
        error = null!;
        var declared = Normalize(contentType);
        if (declared.Length == 0 || declared == "application/octet-stream")
        {
            if (FormatByExtension.TryGetValue(extension, out format!)) return true;
            error = FormatError(contentType is null ? $"(none; extension .{extension})" : $"{contentType} (extension .{extension})");
            return false;
        }
        format = declared;
        if (AcceptedFormats.Contains(declared, StringComparer.Ordinal)) return true;
        error = FormatError(contentType!);
        return false;
    }

    private static string Normalize(string? contentType) =>
        string.Concat((contentType ?? "").Where(c => !char.IsWhiteSpace(c) && c != '"')).ToLowerInvariant();

    private static JsonReply FormatError(string provided) =>
        ApiError.Reply(400, "invalid_audio_format", $"Audio format '{provided}' is not supported", new JsonObject
        {
            ["provided_format"] = provided,
            ["supported_formats"] = new JsonArray(AcceptedFormats.Select(f => (JsonNode)f).ToArray()),
        });

    /// <summary>Reads <paramref name="body"/> to the end, keeping nothing; null when it exceeds <see cref="MaxChunkBytes"/>.</summary>
    /// <summary>The body, or null when it exceeds <see cref="MaxChunkBytes"/>.</summary>
    public static async Task<byte[]?> ReadBytesAsync(Stream body, CancellationToken ct)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (copy.Length + read > MaxChunkBytes) return null;
            copy.Write(buffer, 0, read);
        }
        return copy.ToArray();
    }

    public static async Task<long?> CountBytesAsync(Stream body, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > MaxChunkBytes) return null;
        }
        return total;
    }

    /// <summary>eka upload-audio sends chunk_too_large with 413; spec 11.2 and 11.4 with 400 (CF-18).</summary>
    public static JsonReply TooLarge(bool msaDraft) =>
        ApiError.Reply(msaDraft ? 400 : 413, "chunk_too_large", $"An audio chunk may be at most {MaxChunkBytes} bytes (10 MB).");
}
