namespace Msa.Conformance.Scenarios;

public sealed record AudioChunk(string FileName, string ContentType, byte[] Bytes);

/// <summary>The committed speech chunks (suites/fixtures/audio, made by suites/fixtures/make-audio.sh).</summary>
public static class AudioFixtures
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
}
