using System.Security.Cryptography;
using System.Text;

namespace Msa.Conformance.Reporting;

/// <summary>
/// evidence-manifest.txt: the SHA-256 of every report file, in sha256sum's format (so `sha256sum -c` checks it), and,
/// with a signing key, evidence-manifest.sig: an ECDSA P-256 / SHA-256 signature of that file in DER, the form
/// `openssl dgst -sha256 -verify public.pem -signature evidence-manifest.sig evidence-manifest.txt` reads. Verification
/// says exactly which file changed, went missing or was added, and whether the signature holds.
/// </summary>
public static class EvidenceSignature
{
    public const string ManifestFile = "evidence-manifest.txt";
    public const string SignatureFile = "evidence-manifest.sig";

    /// <summary>The private key in a PEM file, checked to be P-256; a clear error otherwise (the key is never echoed).</summary>
    public static ECDsa LoadPrivateKey(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationError($"Signing key '{path}' does not exist.");
        var key = ECDsa.Create();
        try { key.ImportFromPem(File.ReadAllText(path)); }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        { throw new ConfigurationError($"Signing key '{path}' is not a PEM EC private key ({e.GetType().Name})."); }
        if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new ConfigurationError($"Signing key '{path}' is not on curve P-256.");
        return key;
    }

    /// <summary>Writes the manifest of every file under `dir` (the manifest and signature excepted), signed when a key is given.</summary>
    public static void Write(string dir, ECDsa? key)
    {
        var lines = Files(dir).Select(f => $"{Hash(Path.Combine(dir, f))}  {f}");
        var manifest = Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        File.WriteAllBytes(Path.Combine(dir, ManifestFile), manifest);
        var signature = Path.Combine(dir, SignatureFile);
        if (key is null) { File.Delete(signature); return; }
        File.WriteAllBytes(signature, key.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <summary>Every problem found: changed, missing or unlisted files, a bad or absent signature. Empty means the evidence is intact.</summary>
    public static IReadOnlyList<string> Verify(string dir, string publicKeyPem)
    {
        var problems = new List<string>();
        var manifestPath = Path.Combine(dir, ManifestFile);
        if (!File.Exists(manifestPath)) return [$"{ManifestFile} is missing: nothing to verify against"];
        var manifest = File.ReadAllBytes(manifestPath);
        var listed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(manifest).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cut = line.IndexOf("  ", StringComparison.Ordinal);
            if (cut != 64) { problems.Add($"{ManifestFile}: unreadable line '{line[..Math.Min(line.Length, 80)]}'"); continue; }
            listed[line[(cut + 2)..]] = line[..cut];
        }
        foreach (var (file, hash) in listed)
        {
            var path = Path.Combine(dir, file);
            if (!File.Exists(path)) problems.Add($"missing: {file}");
            else if (Hash(path) != hash) problems.Add($"changed: {file}");
        }
        problems.AddRange(Files(dir).Where(f => !listed.ContainsKey(f)).Select(f => $"not in the manifest (added after signing): {f}"));

        var signaturePath = Path.Combine(dir, SignatureFile);
        if (!File.Exists(signaturePath)) { problems.Add($"{SignatureFile} is missing: the manifest is not signed"); return problems; }
        using var key = ECDsa.Create();
        try { key.ImportFromPem(publicKeyPem); }
        catch (Exception e) when (e is ArgumentException or CryptographicException) { return [.. problems, $"the public key is not a PEM EC public key ({e.GetType().Name})"]; }
        if (!key.VerifyData(manifest, File.ReadAllBytes(signaturePath), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            problems.Add($"the signature does not match {ManifestFile}: a wrong key, or the manifest was edited");
        return problems;
    }

    private static IEnumerable<string> Files(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Where(f => f is not (ManifestFile or SignatureFile))
            .Order(StringComparer.Ordinal);

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
