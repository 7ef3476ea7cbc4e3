using System.Security.Cryptography;
using System.Text;
using Msa.ReferenceServer.Http;
using Msa.ReferenceServer.Sessions;

namespace Msa.ReferenceServer.Endpoints;

/// <summary>
/// The cloud storage behind <see cref="Variation.PresignedUploads"/> (spec 7.2 Option 3, 7.4): an S3-like bucket on the
/// server's own host, outside the API's base path, needing no API credential. A session's upload_url is
/// {host}/storage/msa-uploads/{id}/?X-Amz-…&amp;X-Amz-Signature=…; each chunk is PUT to {that path}/{file_name} with the
/// same query, answered 200 with an ETag and no body (as S3 answers), refusals in S3's XML. The signature is an HMAC of
/// the session id with this instance's key, so only the URL the server handed out works.
/// </summary>
internal static class StorageEndpoints
{
    private const string Bucket = "/storage/msa-uploads";

    /// <summary>The faults that exist only with presigned uploads; a server with one of them hands out presigned URLs.</summary>
    public static readonly IReadOnlySet<Fault> Faults = new HashSet<Fault> { Fault.PresignedPutRefused };

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static string UploadUrlFor(string baseUrl, string id, TimeSpan lifetime) =>
        $"{new Uri(baseUrl).GetLeftPart(UriPartial.Authority)}{Bucket}/{Uri.EscapeDataString(id)}/"
        + $"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires={(int)lifetime.TotalSeconds}&X-Amz-SignedHeaders=host&X-Amz-Signature={Signature(id)}";

    public static IEndpointRouteBuilder MapStorage(this IEndpointRouteBuilder app)
    {
        app.MapPut(Bucket + "/{id}/{fileName}", Put);
        return app;
    }

    private static async Task<IResult> Put(string id, string fileName, HttpContext http, SessionStore store, ServerSettings settings, FaultInjector faults)
    {
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(http.Request.Query["X-Amz-Signature"].ToString()), Encoding.ASCII.GetBytes(Signature(id)))
            || faults.PresignedPutRefused)
            return S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
        if (store.Find(id) is not { } session) return S3Error(404, "NoSuchUpload", "The specified upload does not exist.");
        // The URL is revoked once the session takes no more audio (End, expiry).
        if (session.Snapshot().PhaseAt(store.Now(), settings.ProcessingTime) != SessionPhase.Initialized)
            return S3Error(403, "AccessDenied", "Request has expired");
        if (!AudioRules.TryParseName(fileName, out var sequence, out var storedName, out _, out _))
            return S3Error(400, "InvalidArgument", "Object names are {base_name}_{sequence}.{extension}.");
        if (await AudioRules.ReadBytesAsync(http.Request.Body, http.RequestAborted) is not { } bytes)
            return S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
        if (!session.TryAddAudio(sequence, storedName, SpokenText.Of(bytes))) return S3Error(403, "AccessDenied", "Request has expired");
        http.Response.Headers.ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(bytes))}\"";
        return Results.Ok();
    }

    private static string Signature(string id) => Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(id)));

    private static IResult S3Error(int status, string code, string message) => Results.Text(
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>", "application/xml", Encoding.UTF8, status);
}
