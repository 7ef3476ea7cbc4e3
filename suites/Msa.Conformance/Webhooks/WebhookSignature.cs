using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Msa.Conformance.Webhooks;

/// <summary>
/// The webhook signature of spec 10.7 (and Eka's webhook-signature page): a header
/// <c>t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{raw body}")}</c>. Spec 10.7 names it X-MSA-Signature, Eka
/// Eka-Webhook-Signature (CF-51); either is read, the profile's own name first, so a signature under the other name is
/// still verified (WH-SIG-02/03 judge the name).
/// </summary>
public sealed record WebhookSignature(string HeaderName, string Value, long? T, IReadOnlyList<byte[]> V1)
{
    public const string MsaHeader = "X-MSA-Signature";
    public const string EkaHeader = "Eka-Webhook-Signature";

    /// <summary>t and at least one v1 of 32 bytes in hex: the form WH-SIG-01 asks for.</summary>
    public bool WellFormed => T is not null && V1.Count > 0 && V1.All(v => v.Length == 32);

    /// <summary>The replay window of the profile: 300 s (spec 12.4) or 180 s (Eka's example), CF-51.</summary>
    public static int ToleranceSeconds(string profile) => profile == "msa-draft" ? 300 : 180;

    /// <summary>The signature header each profile names (CF-51): spec 10.7's, or Eka's webhook-signature page's.</summary>
    public static readonly IReadOnlyDictionary<ProtocolProfile, string> HeaderOf = new Dictionary<ProtocolProfile, string>
    {
        [ProtocolProfile.MsaDraft] = MsaHeader,
        [ProtocolProfile.Ekascribe] = EkaHeader,
    };

    /// <summary>Every name a signature header may have, the profile's own first.</summary>
    public static string[] HeaderNames(string profile) =>
        [.. HeaderOf.OrderByDescending(h => HarnessOptions.ProfileName(h.Key) == profile).Select(h => h.Value)];

    /// <summary>The signature header of a delivery, parsed; null when it carries none.</summary>
    public static WebhookSignature? Of(ReceivedWebhook delivery, string profile)
    {
        foreach (var name in HeaderNames(profile))
            if (delivery.Header(name) is { } value) return Parse(name, value);
        return null;
    }

    public static WebhookSignature Parse(string headerName, string value)
    {
        long? t = null;
        var v1 = new List<byte[]>();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var (key, item) = (part[..eq], part[(eq + 1)..]);
            if (key == "t" && item.All(char.IsAsciiDigit) && long.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) t = seconds;
            else if (key == "v1" && item.Length % 2 == 0 && item.All(char.IsAsciiHexDigit)) v1.Add(Convert.FromHexString(item));
            else if (key == "v1") v1.Add([]); // present but not hex: counted, so the form check fails
        }
        return new WebhookSignature(headerName, value, t, v1);
    }

    /// <summary>True when one v1 is HMAC-SHA256(secret, "{t}.{raw body}"), compared in constant time.</summary>
    public bool Verifies(string secret, byte[] rawBody) => T is { } t && Matches(Mac(secret, t, rawBody));

    /// <summary>HMAC-SHA256(secret, "{t}.{raw body}"): the v1 a signature made at t must carry.</summary>
    public static byte[] Mac(string secret, long t, byte[] rawBody) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes($"{t}."), .. rawBody]);

    /// <summary>True when one v1 equals the expected MAC, compared in constant time.</summary>
    public bool Matches(byte[] expected)
    {
        var match = false;
        foreach (var candidate in V1) match |= CryptographicOperations.FixedTimeEquals(candidate, expected);
        return match;
    }

    /// <summary>Seconds from t to the arrival (negative: t lies in the future).</summary>
    public double? AgeSeconds(DateTimeOffset arrived) => T is { } t ? (arrived - DateTimeOffset.FromUnixTimeSeconds(t)).TotalSeconds : null;

    /// <summary>One line for reports: which header, whether it verifies, how old t was. Never shows the secret.</summary>
    public static string Describe(ReceivedWebhook delivery, WebhookObservations w, string profile)
    {
        var signed = delivery.Key == w.SignedKey;
        var signature = Of(delivery, profile);
        if (signature is null) return signed ? "NO signature header" : "unsigned (no secret registered)";
        if (!signature.WellFormed) return $"{signature.HeaderName} malformed ('{signature.Value}')";
        var age = $"t {signature.AgeSeconds(delivery.ArrivedAt):0.0} s before arrival";
        if (!signed) return $"{signature.HeaderName} present although no secret was registered ({age})";
        return w.Verifies(delivery, signature)
            ? $"{signature.HeaderName} verified: HMAC-SHA256 with the registered secret over \"{{t}}.\" + {delivery.Body.Length} raw bytes ({age})"
            : $"{signature.HeaderName} does NOT verify against the registered secret ({age})";
    }
}
