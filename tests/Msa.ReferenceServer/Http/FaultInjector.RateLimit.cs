using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Http;

/// <summary>The rate-limit defects (SEC-09, ERR-11, ERR-12, ISO-11): seen only by the harness's opt-in burst.</summary>
internal sealed partial class FaultInjector
{
    public bool RateLimits => !On(Fault.NoRateLimit);

    /// <summary>Per client and URL; RateLimitAcrossClients: per URL alone, so one client's burst limits every client.</summary>
    public string RateLimitKey(string tenant, string url) => On(Fault.RateLimitAcrossClients) ? url : tenant + " " + url;

    public JsonReply RateLimited(JsonReply refusal)
    {
        if (On(Fault.RateLimitedWithOtherCode) && refusal.Body["error"] is JsonObject error) error["code"] = "too_many_requests";
        return On(Fault.RateLimitedWithoutRetryAfter) ? refusal : refusal.WithHeader("Retry-After", "1");
    }
}
