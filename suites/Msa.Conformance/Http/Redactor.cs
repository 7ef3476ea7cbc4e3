using System.Text.Json;
using System.Text.Json.Nodes;

namespace Msa.Conformance.Http;

/// <summary>Keeps secrets and patient data out of every report.</summary>
public static class Redactor
{
    public const string Mask = "[REDACTED]";
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
        { "Authorization", "X-API-Key", "Cookie", "Set-Cookie", "Proxy-Authorization" };

    /// <summary>Fields whose values are clinical content or identify a patient.</summary>
    private static readonly HashSet<string> PatientFields = new(StringComparer.OrdinalIgnoreCase)
        { "transcript", "data", "patient_details", "presigned_url" };

    public static bool IsPatientField(string key) => PatientFields.Contains(key);

    /// <summary>Secrets known to this run (the token): scrubbed from any text that reaches a report.</summary>
    private static readonly List<string> KnownSecrets = [];
    private static readonly Lock SecretsLock = new();

    public static void RegisterSecret(string secret)
    {
        if (string.IsNullOrEmpty(secret)) return;
        lock (SecretsLock) if (!KnownSecrets.Contains(secret)) KnownSecrets.Add(secret);
    }

    public static string HeaderValue(string name, string value)
    {
        if (!SecretHeaders.Contains(name)) return Scrub(value);
        // Keep the scheme so a reader can tell Bearer from Basic, never the credential.
        var space = value.IndexOf(' ');
        return name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && space > 0
            ? value[..space] + " " + Mask : Mask;
    }

    /// <summary>
    /// A presigned URL's signature and credential parameters (PresignedUrl.SecretParameters): a short-lived upload
    /// credential. Also after a JSON-escaped ampersand (\u0026), as System.Text.Json writes it.
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex StorageSignature = new(
        $@"(?<=(?:[?&]|\\u0026)(?:{string.Join("|", PresignedUrl.SecretParameters.Select(System.Text.RegularExpressions.Regex.Escape))})=)[^&\s""'<>\\]+",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.Compiled);

    public static string Scrub(string text)
    {
        if (text.Contains('=')) text = StorageSignature.Replace(text, Mask);
        lock (SecretsLock)
            foreach (var s in KnownSecrets)
            {
                if (s.Length < 4) continue;
                // A weak secret (an ordinary word) is masked where it stands alone, so prose that merely contains the
                // word ("anything" in "anythingness") keeps reading; a strong one is masked wherever it appears.
                text = IsWeak(s)
                    ? System.Text.RegularExpressions.Regex.Replace(text, $@"(?<![A-Za-z0-9_\-]){System.Text.RegularExpressions.Regex.Escape(s)}(?![A-Za-z0-9_\-])", Mask)
                    : text.Replace(s, Mask, StringComparison.Ordinal);
            }
        return text;
    }

    /// <summary>A credential short enough, or plain enough (letters only), to occur in ordinary text.</summary>
    public static bool IsWeak(string secret) => secret.Length < 12 || secret.All(char.IsLetter);

    /// <summary>A copy of the JSON with transcripts and template data shortened: shape stays visible, content does not.</summary>
    public static JsonNode MaskPatientData(JsonNode node)
    {
        var copy = node.DeepClone();
        MaskInPlace(copy);
        return copy;
    }

    private static void MaskInPlace(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (PatientFields.Contains(key) && o[key] is { } v) o[key] = Masked(v);
                    else MaskInPlace(o[key]);
                }
                break;
            case JsonArray a:
                foreach (var item in a) MaskInPlace(item);
                break;
        }
    }

    private static JsonNode Masked(JsonNode value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(s.Length <= 12 ? s : s[..12] + $"… [masked, {s.Length} chars]"),
        JsonObject o => JsonValue.Create($"[masked object, {o.Count} keys]"),
        JsonArray a => JsonValue.Create($"[masked array, {a.Count} items]"),
        _ => value.DeepClone(),
    };
}
