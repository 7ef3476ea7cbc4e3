using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Msa.ReferenceServer.Endpoints;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// Faults in the shapes real servers were seen to have (issue 10): a FastAPI-style 403 for a bad credential, webhooks
/// advertised with no route behind them, Create refusing template ids the catalogue lists, a Create that fails the
/// first time a body is sent, and a 404 body with a top-level status. Each breaks its own rows; the precision matrix
/// proves nothing else moves.
/// </summary>
internal sealed partial class FaultInjector
{
    private readonly ConcurrentDictionary<string, bool> createBodiesSeen = new(StringComparer.Ordinal);

    /// <summary>The template the catalogue lists first, which CreateRefusesListedTemplate refuses.</summary>
    public const string RefusedListedTemplate = "eka_emr_template";

    /// <summary>A route the server does not have (WebhooksAdvertisedWithoutRoute): 404 before any credential is read, as a router answers.</summary>
    public IResult? MissingRoute(string? endpointName, HttpContext http) =>
        On(Fault.WebhooksAdvertisedWithoutRoute) && WebhookEndpoints.Names(endpointName)
            ? ApiError.Reply(404, "not_found", $"No endpoint for {http.Request.Method} {http.Request.Path}.")
            : null;

    /// <summary>The refusal of a request without a valid credential as FastAPI's HTTPBearer gives it (UnauthorizedAs403Detail); null otherwise.</summary>
    private IResult? ForbiddenDetail() =>
        On(Fault.UnauthorizedAs403Detail) ? new PlainReply(403, "application/json", """{"detail":"invalid_token"}""") : null;

    /// <summary>FirstCreateAttemptFails: the first time a given Create body arrives, 500 internal_error; the same body again is served.</summary>
    public JsonReply? FirstCreateAttempt(string received)
    {
        if (!On(Fault.FirstCreateAttemptFails)) return null;
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(received)));
        return createBodiesSeen.TryAdd(key, true) ? ApiError.Reply(500, "internal_error", "The reference server failed: upstream timeout.") : null;
    }

    /// <summary>FirstEndAttemptFails: the first End of each session, 500 internal_error before anything changes; the next End is served.</summary>
    public JsonReply? FirstEndAttempt(string sessionId) =>
        On(Fault.FirstEndAttemptFails) && endsSeen.TryAdd(sessionId, true) ? ApiError.Reply(500, "internal_error", "The reference server failed: upstream timeout.") : null;

    private readonly ConcurrentDictionary<string, bool> endsSeen = new(StringComparer.Ordinal);

    /// <summary>CreateRefusesListedTemplate: a Create naming the catalogue's first template is refused as if it did not exist.</summary>
    private JsonReply? ListedTemplateRefused(IReadOnlyList<string> requested) =>
        On(Fault.CreateRefusesListedTemplate) && requested.Contains(RefusedListedTemplate)
            ? ApiError.Reply(400, "invalid_template", $"Template '{RefusedListedTemplate}' is not available for this account.")
            : null;

    /// <summary>UnknownRoutesAnswerFrameworkPage: an unknown route or method answered with a plain-text page, not the envelope; null otherwise.</summary>
    public IResult? UnknownRoute() => On(Fault.UnknownRoutesAnswerFrameworkPage) ? new PlainReply(404, "text/plain; charset=utf-8", "Not Found") : null;

    /// <summary>OddSessionIdsCrash: a Get Session id that is not ses_&lt;alphanumerics&gt; crashes the id parser (500); null otherwise.</summary>
    private IResult? OddIdCrash(string id) =>
        On(Fault.OddSessionIdsCrash) && !System.Text.RegularExpressions.Regex.IsMatch(id, "^ses_[A-Za-z0-9]+$")
            ? ApiError.Reply(500, "internal_error", "The reference server failed: FormatException: the session id is malformed.")
            : null;

    /// <summary>SessionsVisibleAcrossTenants: another tenant's credential reads, uploads to and ends this client's sessions.</summary>
    public bool SessionsVisibleAcrossTenants => On(Fault.SessionsVisibleAcrossTenants);

    /// <summary>SecondKeyRefused: the client's second active key is not accepted at all.</summary>
    public bool SecondKeyRefused => On(Fault.SecondKeyRefused);

    /// <summary>NotFoundCarriesStatus: a Get Session of an unknown id answers 404 {"status": "failed", "detail": …} instead of the envelope.</summary>
    private static IResult NotFoundWithStatus() =>
        new PlainReply(404, "application/json", """{"status":"failed","detail":"Session not found"}""");
}
