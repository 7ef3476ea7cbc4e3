using System.Text;

namespace Msa.ReferenceServer.Http;

/// <summary>Reads small JSON request bodies without trusting their size.</summary>
internal static class RequestBody
{
    public const int MaxJsonBytes = 1024 * 1024;

    /// <summary>The body as UTF-8 text; null when it is larger than <see cref="MaxJsonBytes"/>.</summary>
    public static async Task<string?> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxJsonBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxJsonBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static JsonReply TooLarge() =>
        ApiError.Reply(413, "request_too_large", $"A JSON request body may be at most {MaxJsonBytes} bytes.");
}
