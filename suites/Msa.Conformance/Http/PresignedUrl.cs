namespace Msa.Conformance.Http;

/// <summary>
/// A presigned cloud-storage upload_url (spec 7.2 Option 3, 7.3): audio goes there with a PUT and no credential of the
/// scribe API, the URL's signature being the authority. Told apart from the API's own endpoint by a signature query
/// parameter (S3, GCS, Azure) or a cloud-storage host (requirements.md UPL-05: "foreign host or signature query parameters";
/// a foreign host alone is not enough, as an API may upload on a host of its own).
/// </summary>
public static class PresignedUrl
{
    /// <summary>Query parameters that carry a storage signature or credential: masked in every report (Redactor).</summary>
    public static readonly IReadOnlyList<string> SecretParameters =
        ["X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "X-Goog-Signature", "X-Goog-Credential", "sig", "Signature"];

    private static readonly string[] SignatureParameters = ["X-Amz-Signature", "X-Goog-Signature", "sig", "Signature"];
    private static readonly string[] StorageHosts = [".amazonaws.com", "storage.googleapis.com", ".blob.core.windows.net"];

    public static bool Is(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")) return false;
        var names = u.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => Uri.UnescapeDataString(p.Split('=')[0]));
        return names.Any(n => SignatureParameters.Contains(n, StringComparer.OrdinalIgnoreCase))
            || StorageHosts.Any(h => u.Host.EndsWith(h, StringComparison.OrdinalIgnoreCase) || u.Host.Equals(h.TrimStart('.'), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Where a chunk goes (spec 7.4, "PUT {upload_url}/audio_0.webm"): the file name appended to the URL's path, its query
    /// (the signature) kept after it, as a literal append would put the name inside the query.
    /// </summary>
    public static string ObjectUrl(string uploadUrl, string fileName)
    {
        var query = uploadUrl.IndexOf('?');
        var (path, rest) = query < 0 ? (uploadUrl, "") : (uploadUrl[..query], uploadUrl[query..]);
        return $"{path.TrimEnd('/')}/{Uri.EscapeDataString(fileName)}{rest}";
    }

    /// <summary>The URL without its query: what a chunk's object URL starts with, signature masked or not.</summary>
    public static string WithoutQuery(string url) => url.IndexOf('?') is var q and >= 0 ? url[..q] : url;
}
