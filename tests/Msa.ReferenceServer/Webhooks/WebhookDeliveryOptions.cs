namespace Msa.ReferenceServer.Webhooks;

/// <summary>Webhook delivery of one reference server instance (community spec section 10).</summary>
public sealed class WebhookDeliveryOptions
{
    /// <summary>Offer webhooks: discovery advertises <c>webhook_delivery</c> and <c>webhooks_url</c>. Off = neither.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Wait before the first retry of a refused delivery; each later retry waits twice as long.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Register only https urls (WH-REG-03) and so deliver only to https (WH-DEL-15), as a production server must. Off by
    /// default, so the harness's plain-http loopback receiver (its default) is a set-up the server allows; the self-tests
    /// switch it on with the harness's --webhook-https, whose self-made certificate this server trusts (it delivers to
    /// loopback only).
    /// </summary>
    public bool HttpsOnly { get; set; }

    /// <summary>The faults that exist only with <see cref="HttpsOnly"/>; a server with one of them is https-only.</summary>
    public static readonly IReadOnlySet<Fault> HttpsOnlyFaults = new HashSet<Fault> { Fault.WebhookPlainHttpAccepted, Fault.WebhookDeliveredOverHttp };

    /// <summary>Attempts per delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long one delivery attempt may wait for the receiver (spec 10.2: receivers answer within 30 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public WebhookDeliveryOptions Copy() => (WebhookDeliveryOptions)MemberwiseClone();

    internal void Validate()
    {
        if (RetryDelay < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "RetryDelay must not be negative.");
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "MaxAttempts must be at least 1.");
        if (AttemptTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), AttemptTimeout, "AttemptTimeout must be positive.");
    }
}
