using System.Net.Http.Headers;
using Msa.ReferenceServer.Http;

namespace Msa.ReferenceServer.Webhooks;

/// <summary>
/// Sends each event to every registration subscribed to it, in the background: one JSON POST per registration, signed
/// (in the profile's header) when the registration has a secret, retried with doubling waits until the receiver answers 2xx or the attempts run
/// out. Registrations only ever point at loopback addresses (checked at registration), so nothing leaves the machine.
/// </summary>
internal sealed class WebhookDispatcher : IDisposable
{
    private readonly WebhookRegistry registry;
    private readonly WebhookDeliveryOptions options;
    private readonly FaultInjector faults;
    private readonly VariationInjector variations;
    private readonly TimeProvider clock;
    private readonly HttpClient http;
    private readonly string signatureHeader;
    private readonly CancellationTokenSource stopping = new();

    public WebhookDispatcher(WebhookRegistry registry, WebhookDeliveryOptions options, FaultInjector faults, TimeProvider clock, ServerSettings settings,
        VariationInjector variations)
    {
        (this.registry, this.options, this.faults, this.clock, this.variations) = (registry, options, faults, clock, variations);
        signatureHeader = faults.SignatureHeader(WebhookSignature.HeaderNames[settings.Profile]);
        // Receivers are on loopback only (registration refuses any other host), where the harness's https receiver presents a certificate it made itself.
        http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseProxy = false,
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        }) { Timeout = options.AttemptTimeout };
    }

    /// <summary>Starts the deliveries of one event; the task ends when each has succeeded or given up (callers rarely wait for it).</summary>
    public Task Publish(WebhookEvent happened)
    {
        if (faults.WebhookEvent(happened) is not { } sent) return Task.CompletedTask;
        var body = JsonReply.ToUtf8(variations.WebhookPayload(faults.WebhookPayload(sent)));
        return Task.WhenAll(faults.WebhookRecipients(registry, happened).Select(registration => DeliverAsync(registration, body, stopping.Token)));
    }

    private async Task DeliverAsync(WebhookRegistration registration, byte[] body, CancellationToken ct)
    {
        try
        {
            await Task.Yield(); // never deliver on the request thread that published the event
            for (var attempt = 1; registry.IsActive(registration.Id); attempt++)
            {
                if (await SendAsync(registration, body, ct) || attempt >= options.MaxAttempts || !faults.RetriesWebhooks) return;
                await Task.Delay(options.RetryDelay * Math.Pow(2, attempt - 1), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the server is stopping
        }
    }

    /// <summary>One attempt; true when the receiver answered 2xx.</summary>
    private async Task<bool> SendAsync(WebhookRegistration registration, byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, registration.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var now = clock.GetUtcNow();
        if (registration.Secret is { } secret)
            request.Headers.TryAddWithoutValidation(signatureHeader, WebhookSignature.Header(secret, now.ToUnixTimeSeconds(), body));
        faults.WebhookRequest(request, signatureHeader, registration.Secret, body, now);
        try
        {
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return false; // the attempt timed out
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
        http.Dispose();
    }
}
