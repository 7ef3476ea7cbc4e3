using System.Text.Json;
using System.Text.Json.Nodes;
using Msa.Conformance.Http;

namespace Msa.Conformance.Webhooks;

/// <summary>
/// What another client's key was shown (ISO-10) is evidence only where it shows this client's registrations; any other
/// entry is that client's own data and is replaced before the exchange is recorded, so no report carries it.
/// </summary>
public static class OtherClientsView
{
    public const string NotShown = "[a registration that is not this client's: not shown]";

    public static void KeepOnlyOurs(Exchange listing, IReadOnlyList<WebhookRegistration> ours)
    {
        if (!listing.GotResponse || listing.Body.Length == 0) return;
        JsonNode? json;
        try { json = JsonNode.Parse(listing.Body); }
        catch (JsonException)
        {
            if (!ours.Any(r => Shows(listing.Body, r))) listing.Body = $"[{listing.Body.Length} characters, not JSON, that show none of this client's registrations: not shown]";
            return;
        }
        var entries = json is JsonObject o && o["webhooks"] is JsonArray inside ? inside : json as JsonArray;
        if (entries is null) return; // an error envelope or the like: the server's words about the request, nobody's data
        for (var i = 0; i < entries.Count; i++)
            if (entries[i] is { } entry && !ours.Any(r => Shows(entry.ToJsonString(), r))) entries[i] = NotShown;
        listing.Body = json!.ToJsonString();
    }

    /// <summary>The text names this registration: its webhook_id, or the receiver URL it was registered with.</summary>
    public static bool Shows(string text, WebhookRegistration r) =>
        r.WebhookId is { } id && text.Contains(id, StringComparison.Ordinal) || text.Contains(r.Url, StringComparison.Ordinal)
        || text.Contains(JsonSerializer.Serialize(r.Url)[1..^1], StringComparison.Ordinal);
}
