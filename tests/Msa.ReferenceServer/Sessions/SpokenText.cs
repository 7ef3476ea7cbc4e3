using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Msa.ReferenceServer.Sessions;

/// <summary>
/// The reference server's "transcription": it cannot recognise speech, so it knows what is spoken in the harness's own
/// speech fixtures (suites/fixtures/audio: each WAV chunk and its lines in transcript.txt) and recognises them by
/// their bytes. A session's transcript is then made from the audio that session got, and from nothing else, which is
/// what ISO-05 checks (results of sessions processed side by side are not mixed). Other audio gets the canned text.
/// </summary>
internal static class SpokenText
{
    private static readonly Lazy<FrozenDictionary<string, string>> Known = new(Load);

    /// <summary>What is spoken in this audio, when it is one of the fixtures; null otherwise.</summary>
    public static string? Of(byte[] audio) => Known.Value.GetValueOrDefault(Convert.ToHexStringLower(SHA256.HashData(audio)));

    private static FrozenDictionary<string, string> Load()
    {
        var dir = FixtureDirectory();
        if (dir is null || !File.Exists(Path.Combine(dir, "transcript.txt"))) return FrozenDictionary<string, string>.Empty;
        var texts = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "transcript.txt")))
            if (line.StartsWith("# ", StringComparison.Ordinal)) texts[line[2..].Trim()] = current = [];
            else if (line.Trim().Length > 0) current?.Add(line.Trim());
        return texts.Where(t => File.Exists(Path.Combine(dir, t.Key)))
            .ToFrozenDictionary(t => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, t.Key)))), t => string.Join("\n", t.Value));
    }

    /// <summary>suites/fixtures/audio of the checkout this server runs from (or a copy beside it).</summary>
    private static string? FixtureDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(d.FullName, "fixtures", "audio"), Path.Combine(d.FullName, "suites", "fixtures", "audio") })
                if (File.Exists(Path.Combine(candidate, "transcript.txt"))) return candidate;
        }
        return null;
    }
}
