using System.Net.Http.Headers;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using RestSharp;

namespace Msa.Conformance.Http;

/// <summary>
/// The harness's only way to talk to the server under test. Every call has a timeout, every response body is read
/// up to a cap, and every exchange is recorded (credentials redacted) so a verdict can show its proof.
/// </summary>
public sealed class MsaClient : IDisposable
{
    private readonly RestClient _client;

    /// <summary>Credential-less requests go on connections of their own, so one that once carried a credential never decides them (AUTH-01 vs AUTH-11).</summary>
    private readonly RestClient _anonymous;
    private readonly HarnessOptions _options;
    private static readonly AsyncLocal<Exchange?> Current = new();

    public MsaClient(HarnessOptions options)
    {
        _options = options;
        Redactor.RegisterSecret(options.Token);
        Redactor.RegisterSecret(options.SecondKey);
        Redactor.RegisterSecret(options.OtherTenantToken);
        _client = NewClient(options);
        _anonymous = NewClient(options);
    }

    private static RestClient NewClient(HarnessOptions options)
    {
        var capture = new CaptureHandler(options.Http.MaxBodyBytes)
        {
            // Our own socket handler: no drain of an unread remainder (a capped 50 MB body must not be downloaded),
            // no cookies carried between requests, no redirects followed.
            InnerHandler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                MaxResponseDrainSize = 0,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = TimeSpan.FromSeconds(Math.Min(options.Http.TimeoutSeconds, 10)),
                SslOptions = { RemoteCertificateValidationCallback = CertificateValidation(options) },
            },
        };
        return new RestClient(new RestClientOptions
        {
            Timeout = TimeSpan.FromSeconds(options.Http.TimeoutSeconds),
            UserAgent = $"msa-conformance/{typeof(MsaClient).Assembly.GetName().Version?.ToString(3)}",
            ThrowOnAnyError = false,
            FollowRedirects = false, // a redirect is shown as what it is; the credential is never carried to another origin
            ConfigureMessageHandler = _ => capture,
        });
    }

    /// <summary>
    /// --insecure: any certificate. --ca-cert: the system's trust, or a chain to one of those CAs (the host name must
    /// still match). Neither: the system's trust alone (null).
    /// </summary>
    public static RemoteCertificateValidationCallback? CertificateValidation(HarnessOptions options)
    {
        if (options.Insecure) return (_, _, _, _) => true;
        if (options.CaCertificates.Count == 0) return null;
        var authorities = options.CaCertificates;
        return (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None) return true;
            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null) return false;
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
                foreach (var element in chain.ChainElements) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            return custom.Build(certificate as X509Certificate2
                ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };
    }

    /// <summary>
    /// Sends one request with a JSON body, a raw body, a multipart/form-data body of one file part, or none. `json`
    /// is serialised, except a string, which is sent as it is (to send malformed JSON on purpose). `auth: false` sends
    /// no credential, on a connection that never carried one unless `sameConnection`; `authOverride` sends that value instead; `headers` are added as given. A raw body with
    /// `rawContentType: ""` goes without any Content-Type header (EkaScribe infers the type from the file name).
    /// </summary>
    public async Task<Exchange> SendAsync(string step, Method method, string url, object? json = null,
        byte[]? raw = null, string? rawContentType = null, bool auth = true, string? authOverride = null,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default, FilePart? file = null, bool sameConnection = false)
    {
        var request = new RestRequest(url, method);
        var sent = new List<KeyValuePair<string, string>> { new("Accept", "application/json") };
        request.AddHeader("Accept", "application/json");
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.AddHeader(name, value);
            sent.Add(new(name, Redactor.HeaderValue(name, value)));
        }
        if (auth)
        {
            var secret = authOverride ?? _options.Token;
            var (name, value) = _options.AuthScheme == AuthScheme.Bearer
                ? ("Authorization", $"Bearer {secret}") : ("X-API-Key", secret);
            request.AddHeader(name, value);
            sent.Add(new(name, Redactor.HeaderValue(name, value)));
        }
        string? bodyText = null;
        if (json is not null)
        {
            bodyText = json switch
            {
                string text => text,
                JsonNode n => n.ToJsonString(),
                _ => System.Text.Json.JsonSerializer.Serialize(json),
            };
            request.AddStringBody(bodyText, "application/json");
            sent.Add(new("Content-Type", "application/json"));
        }
        else if (raw is not null)
        {
            request.AddParameter(new BodyParameter("", raw, rawContentType is null or "" ? "application/octet-stream" : rawContentType, DataFormat.Binary));
            if (rawContentType != "") sent.Add(new("Content-Type", rawContentType ?? "application/octet-stream"));
            bodyText = rawContentType == "" ? $"({raw.Length} bytes, no Content-Type)" : $"({raw.Length} bytes of {rawContentType ?? "binary"})";
        }
        else if (file is not null)
        {
            request.AlwaysMultipartFormData = true;
            // filename only (as curl -F sends it), no filename*: the form every multipart parser reads.
            request.AddFile(file.Field, file.Bytes, file.FileName, file.ContentType, new FileParameterOptions { DisableFilenameStar = true });
            sent.Add(new("Content-Type", "multipart/form-data"));
            bodyText = $"(multipart/form-data: part '{file.Field}', filename {file.FileName}, {file.Bytes.Length} bytes of {file.ContentType})";
        }

        var exchange = new Exchange
        {
            Step = step, Method = method.ToString().ToUpperInvariant(), Url = Redactor.Scrub(url),
            RequestHeaders = sent, RequestBody = bodyText is null ? null : Redactor.Scrub(bodyText), SentCredential = auth && authOverride is null,
            StartedAt = DateTimeOffset.UtcNow,
        };
        var clock = Stopwatch.StartNew();
        Current.Value = exchange;
        try
        {
            var client = auth || sameConnection ? _client : _anonymous;
            var response = await client.ExecuteAsync(request, ct);
            // A kept-alive connection the server had already closed fails before any byte of an answer: that says
            // nothing about the server's conformance, so the request is sent once more (on a fresh connection) and noted.
            if (response.StatusCode == 0 && StaleConnection(response.ErrorException))
            {
                exchange.Note = $"the first try failed before any answer ({Describe(response)}), as on a connection the server had closed; sent once more";
                response = await client.ExecuteAsync(request, ct);
            }
            if (response.StatusCode == 0 || response.ResponseStatus is ResponseStatus.TimedOut or ResponseStatus.Aborted)
                exchange.TransportError ??= Describe(response);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            exchange.TransportError ??= e.Message;
        }
        finally { Current.Value = null; }
        // The longer of the monotonic and the wall-clock duration: a wall-clock step during the request must not make the
        // answer look older than it is to the checks that bound the server's clock by StartedAt + Elapsed (GET-FLD-09, EXP-06).
        var wall = DateTimeOffset.UtcNow - exchange.StartedAt;
        exchange.Elapsed = wall > clock.Elapsed ? wall : clock.Elapsed;
        return exchange;
    }

    /// <summary>The connection was closed or reset before any answer came (a stale pooled connection), not a timeout.</summary>
    private static bool StaleConnection(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }
                || e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted })
                return true;
        return false;
    }

    private string Describe(RestResponse r) => r.ResponseStatus == ResponseStatus.TimedOut
        ? $"timed out after {_options.Http.TimeoutSeconds} s"
        : r.ErrorException?.InnerException?.Message ?? r.ErrorException?.Message ?? r.ErrorMessage ?? r.ResponseStatus.ToString();

    public void Dispose()
    {
        _client.Dispose();
        _anonymous.Dispose();
    }

    /// <summary>Every header of the request as it is sent (Host first, as on the wire), each value redacted where it is a credential.</summary>
    private static List<KeyValuePair<string, string>> WireHeaders(HttpRequestMessage request)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", request.Headers.Host ?? request.RequestUri!.Authority) };
        var sent = request.Headers.NonValidated.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase))
            .Concat(request.Content?.Headers.NonValidated ?? Enumerable.Empty<KeyValuePair<string, HeaderStringValues>>());
        foreach (var (name, values) in sent)
            headers.Add(new(name, Redactor.HeaderValue(name, values.ToString())));
        return headers;
    }

    /// <summary>Sees the real wire response: records status, headers and a capped copy of the body.</summary>
    private sealed class CaptureHandler(int maxBodyBytes) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var exchange = Current.Value;
            if (exchange is not null && request.Content is not null)
            {
                // The body's type goes out exactly as the harness spelt it (audio/webm;codecs=opus stays without a space:
                // a media type parsed and re-printed is not what discovery said), or not at all when it gave none.
                // A multipart body keeps the type RestSharp wrote, whose boundary parameter only it knows.
                var declared = exchange.RequestHeaders.FirstOrDefault(h => h.Key == "Content-Type").Value;
                if (declared?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) != true)
                {
                    request.Content.Headers.Remove("Content-Type");
                    if (declared is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", declared);
                }
            }
            // The evidence records the request headers as they leave, not as they were asked for (credentials redacted).
            if (exchange is not null) exchange.RequestHeaders = WireHeaders(request);
            var response = await base.SendAsync(request, ct);
            if (exchange is null) return response;
            exchange.Status = (int)response.StatusCode;
            foreach (var h in response.Headers.Concat(response.Content.Headers))
            {
                // A cookie's Expires holds a comma, so each Set-Cookie stays a header of its own.
                if (h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
                    exchange.ResponseHeaders.AddRange(h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));
                else exchange.ResponseHeaders.Add(new(h.Key, string.Join(", ", h.Value)));
            }
            exchange.ContentType = response.Content.Headers.ContentType?.ToString();
            var (bytes, truncated) = await ReadCappedAsync(response.Content, ct);
            exchange.BodyTruncated = truncated;
            var original = response.Content;
            exchange.Body = Decode(bytes);
            var replacement = new ByteArrayContent(bytes);
            foreach (var h in response.Content.Headers)
                if (!h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    replacement.Headers.TryAddWithoutValidation(h.Key, h.Value);
            response.Content = replacement;
            // Disposing the unread remainder drops the connection instead of downloading the rest of a huge body.
            original.Dispose();
            return response;
        }

        private async Task<(byte[], bool)> ReadCappedAsync(HttpContent content, CancellationToken ct)
        {
            await using var stream = await content.ReadAsStreamAsync(ct);
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (buffer.Length <= maxBodyBytes)
            {
                var n = await stream.ReadAsync(chunk, ct);
                if (n == 0) return (buffer.ToArray(), false);
                buffer.Write(chunk, 0, n);
            }
            return (buffer.ToArray()[..maxBodyBytes], true);
        }

        private static string Decode(byte[] bytes)
        {
            try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
            catch (DecoderFallbackException) { return "(body is not valid UTF-8) " + Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 2000)]); }
        }
    }
}

/// <summary>The one file part of a multipart/form-data request.</summary>
public sealed record FilePart(string Field, string FileName, string ContentType, byte[] Bytes);
