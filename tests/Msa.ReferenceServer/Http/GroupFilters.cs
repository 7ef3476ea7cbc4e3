using System.Security.Cryptography;
using System.Text;

namespace Msa.ReferenceServer.Http;

/// <summary>The two rules set once on the /sessions group: bearer authentication, then fault injection.</summary>
internal static class GroupFilters
{
    /// <summary>
    /// <c>Authorization: Bearer {Token}</c> or 401 <c>authentication_failed</c>, checked before any handler runs and so
    /// before any session lookup.
    /// </summary>
    public static RouteGroupBuilder RequireBearerToken(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var settings = http.RequestServices.GetRequiredService<ServerSettings>();
            var header = http.Request.Headers.Authorization.ToString();
            var missing = header.Length == 0;
            if (!missing && Accepts(header, settings.Token)) return await next(context);

            var faults = http.RequestServices.GetRequiredService<FaultInjector>();
            return faults.Unauthenticated(EndpointName(http), missing, http.GetRouteValue("id") as string) ?? await next(context);
        });
        return group;
    }

    /// <summary>
    /// Every request passes <see cref="FaultInjector.Before"/> (which may refuse it); every Get Session answer passes
    /// <see cref="FaultInjector.GetSession"/>, every other answer <see cref="FaultInjector.After"/>.
    /// </summary>
    public static RouteGroupBuilder WithFaultInjection(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var faults = http.RequestServices.GetRequiredService<FaultInjector>();
            var endpointName = EndpointName(http);
            if (faults.Before(endpointName, http) is { } refused) return refused;
            var result = await next(context);
            return result is SessionReply reply ? faults.GetSession(reply) : faults.After(endpointName, http, result);
        });
        return group;
    }

    private static string? EndpointName(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;

    private static bool Accepts(string header, string token)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token));
    }
}
