using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// The per-client rate limit (spec 5.5): at most <see cref="PerSecond"/> authenticated GETs a second from one client
/// of one URL, more get 429 <c>rate_limit_exceeded</c> with <c>Retry-After</c> (spec 11.4/11.5). Counted per URL, and
/// reads only, so that the harness's ordinary traffic (a poll a second per session, a flurry of Creates at once) never
/// meets it, while its opt-in burst (--burst: many GETs of one URL at once) does.
/// </summary>
internal sealed class RequestRateLimit(TimeProvider clock, FaultInjector faults)
{
    public const int PerSecond = 30;
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    private sealed class Window { public long Second; public int Count; }

    /// <summary>The 429 answer when this client has used up the current second's allowance for this URL; null to go on.</summary>
    public JsonReply? Refuse(string tenant, HttpRequest request)
    {
        if (!faults.RateLimits || !HttpMethods.IsGet(request.Method)) return null;
        var second = clock.GetUtcNow().ToUnixTimeSeconds();
        var window = _windows.GetOrAdd(faults.RateLimitKey(tenant, request.Method + " " + request.Path), _ => new Window());
        lock (window)
        {
            if (window.Second != second) (window.Second, window.Count) = (second, 0);
            if (++window.Count <= PerSecond) return null;
        }
        return faults.RateLimited(ApiError.Reply(429, "rate_limit_exceeded", $"More than {PerSecond} GETs a second of this URL.",
            new JsonObject { ["retry_after_seconds"] = 1 }));
    }
}
