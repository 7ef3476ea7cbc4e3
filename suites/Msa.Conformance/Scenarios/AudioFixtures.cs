using System.Text.RegularExpressions;

namespace Msa.Conformance.Scenarios;

/// <summary>One chunk to upload: the name the server is given (`&lt;base&gt;_&lt;n&gt;.&lt;ext&gt;`), its declared type and its bytes.</summary>
public sealed record AudioChunk(string FileName, string ContentType, byte[] Bytes)
{
    /// <summary>The same audio under another name (another sequence number), e.g. for probes that must not replace a chunk.</summary>
    public AudioChunk Renamed(int sequence) => this with { FileName = $"audio_{sequence}{Path.GetExtension(FileName)}" };
}

/// <summary>The committed speech chunks (suites/fixtures/audio, made by suites/fixtures/make-audio.sh).</summary>
public static partial class AudioFixtures
{
    public static string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "fixtures", "audio");

    private static readonly Lazy<IReadOnlyList<AudioChunk>> Wav = new(() =>
        System.IO.Directory.GetFiles(Directory, "audio_*.wav")
            .OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f).Split('_')[1]))
            .Select(f => new AudioChunk(Path.GetFileName(f), "audio/wav", File.ReadAllBytes(f)))
            .ToList());

    /// <summary>16 kHz mono WAV chunks audio_0.wav, audio_1.wav, … in sequence order.</summary>
    public static IReadOnlyList<AudioChunk> Chunks() => Wav.Value.Count > 0 ? Wav.Value
        : throw new FileNotFoundException($"No audio fixtures in {Directory}; run suites/fixtures/make-audio.sh.");

    /// <summary>
    /// Words spoken in one chunk and in no other (suites/fixtures/audio/transcript.txt; a self-test keeps it so): a
    /// transcript holding another chunk's word carries speech that session was never given (ISO-05).
    /// </summary>
    public static readonly IReadOnlyList<string[]> SpokenKeywords = [["cough", "morning"], ["degrees", "achy"], ["paracetamol", "viral"]];

    /// <summary>The keywords of any chunk that a transcript holds, as whole words, case-insensitively.</summary>
    public static List<string> KeywordsIn(string? transcript) => transcript is null ? []
        : [.. SpokenKeywords.SelectMany(k => k).Where(k => Regex.IsMatch(transcript, $@"\b{Regex.Escape(k)}\b", RegexOptions.IgnoreCase))];

    /// <summary>The chunk whose words a keyword is.</summary>
    public static int ChunkOf(string keyword) => SpokenKeywords.Select((k, i) => (k, i)).First(p => p.k.Contains(keyword)).i;

    /// <summary>
    /// audio_0 in each encoding the fixtures hold, with the MIME types (normalised) it satisfies and the name it is
    /// uploaded under. Ogg Opus is stored as .opus but uploaded as .ogg, the extension servers map to audio/ogg.
    /// </summary>
    private static readonly (string File, string UploadName, string[] Types)[] Encodings =
    [
        ("audio_0.wav", "audio_0.wav", ["audio/wav", "audio/wave", "audio/x-wav"]),
        ("audio_0.ogg", "audio_0.ogg", ["audio/ogg", "audio/ogg;codecs=vorbis"]),
        ("audio_0.opus", "audio_0.ogg", ["audio/ogg;codecs=opus"]),
        ("audio_0.webm", "audio_0.webm", ["audio/webm", "audio/webm;codecs=opus"]),
    ];

    /// <summary>
    /// audio_0 encoded as `mimeType` (as discovery advertises it, sent back unchanged as Content-Type), or null when
    /// no fixture is in that format (e.g. audio/mp3): such a format cannot be tried.
    /// </summary>
    public static AudioChunk? ForFormat(string mimeType)
    {
        var wanted = NormaliseType(mimeType);
        foreach (var (file, uploadName, types) in Encodings)
            if (types.Contains(wanted) && File.Exists(Path.Combine(Directory, file)))
                return new AudioChunk(uploadName, mimeType, File.ReadAllBytes(Path.Combine(Directory, file)));
        return null;
    }

    /// <summary>"Audio/WebM; codecs=\"opus\"" → "audio/webm;codecs=opus": lower case, no spaces or quotes.</summary>
    public static string NormaliseType(string mimeType) =>
        string.Concat(mimeType.Where(c => !char.IsWhiteSpace(c) && c != '"')).ToLowerInvariant();

    /// <summary>
    /// The chunk sequence number a name carries: `audio_12.webm` (client name), `12.webm` (server name, CF-08) or a
    /// URI ending in one (`s3://bucket/…/12.webm`) all give 12; null when the name ends in no number.
    /// </summary>
    public static int? SequenceOf(string name)
    {
        var segment = name.Split('?', '#')[0].TrimEnd('/').Split('/')[^1];
        var match = TrailingNumber().Match(segment);
        return match.Success && int.TryParse(match.Groups["n"].Value, out var n) ? n : null;
    }

    [GeneratedRegex(@"(?:^|[^0-9])(?<n>[0-9]{1,9})(?:\.[A-Za-z0-9]{1,10})?$")]
    private static partial Regex TrailingNumber();
}
