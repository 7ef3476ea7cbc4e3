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

            var endpointName = http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            var faults = http.RequestServices.GetRequiredService<FaultInjector>();
            return faults.Unauthenticated(endpointName, missing) ?? await next(context);
        });
        return group;
    }

    /// <summary>Every Get Session answer passes <see cref="FaultInjector.GetSession"/>; other answers pass unchanged.</summary>
    public static RouteGroupBuilder WithFaultInjection(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            return result is SessionReply reply
                ? context.HttpContext.RequestServices.GetRequiredService<FaultInjector>().GetSession(reply)
                : result;
        });
        return group;
    }

    private static bool Accepts(string header, string token)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token));
    }
}
