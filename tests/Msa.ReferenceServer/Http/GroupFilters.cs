using System.Security.Cryptography;
using System.Text;

namespace Msa.ReferenceServer.Http;

/// <summary>The rules set once on the /sessions group: authentication, the MSA-Version header, then fault injection.</summary>
internal static class GroupFilters
{
    /// <summary>
    /// The credential (<see cref="Credentials"/>) or 401 <c>authentication_failed</c>, checked before any handler runs and
    /// so before any session lookup.
    /// </summary>
    public static RouteGroupBuilder RequireCredential(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var faults = http.RequestServices.GetRequiredService<FaultInjector>();
            var (missing, tenant) = Credentials.TenantOf(http.Request, http.RequestServices.GetRequiredService<ServerSettings>(), faults.SecondKeyRefused);
            var valid = tenant is not null;
            if (faults.MissingRoute(EndpointName(http), http) is { } missingRoute) return missingRoute;
            if (valid)
            {
                http.Items[Credentials.TenantKey] = tenant;
                if (http.RequestServices.GetRequiredService<RequestRateLimit>().Refuse(tenant!, http.Request) is { } limited) return limited;
                // Another tenant's session does not exist for this caller (ISO-04): 404, no existence leak.
                if (http.GetRouteValue("id") is string id && !Endpoints.WebhookEndpoints.Names(EndpointName(http))
                    && http.RequestServices.GetRequiredService<Sessions.SessionStore>().Find(id) is { } owned && owned.Tenant != tenant
                    && !faults.SessionsVisibleAcrossTenants)
                    return ApiError.SessionNotFound(id);
            }
            if (faults.CountsAsAuthenticated(http, EndpointName(http), missing, valid)) return await next(context);

            return faults.Unauthenticated(EndpointName(http), missing, http.GetRouteValue("id") as string) ?? await next(context);
        });
        return group;
    }

    /// <summary>
    /// <c>MSA-Version</c> (spec 3.3): absent or a supported version goes through; any other value gets 400
    /// <c>unsupported_version</c>. Checked after authentication.
    /// </summary>
    public static RouteGroupBuilder RequireSupportedVersion(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var requested = http.Request.Headers[ProtocolVersions.Header].ToString();
            var conforming = requested.Length == 0 || ProtocolVersions.Supported.Contains(requested) ? null : ApiError.UnsupportedVersion(requested);
            return http.RequestServices.GetRequiredService<FaultInjector>().Version(requested, conforming) ?? await next(context);
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
            await faults.HoldAsync(endpointName, http);
            if (faults.Before(endpointName, http) is { } refused) return refused;
            var result = await next(context);
            return result is SessionReply reply ? faults.GetSession(reply) : faults.After(endpointName, http, result);
        });
        return group;
    }

    private static string? EndpointName(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
}

/// <summary>Where a request carries its credential: <c>Authorization: Bearer</c> in both profiles, and <c>X-API-Key</c> in msa-draft.</summary>
internal static class Credentials
{
    public const string Primary = "primary";
    /// <summary>HttpContext.Items key of the caller's tenant, set once the credential is accepted.</summary>
    public const string TenantKey = "msa.tenant";
    public const string OtherTenant = "other-tenant";

    /// <summary>The tenant whose accepted credential this request carries (set by RequireCredential).</summary>
    public static string CallerOf(HttpContext http) => http.Items[TenantKey] as string ?? Primary;

    /// <summary>Missing: no credential header at all. Valid: one of them carries the token.</summary>
    public static (bool Missing, bool Valid) Of(HttpRequest request, ServerSettings settings)
    {
        var (missing, tenant) = TenantOf(request, settings);
        return (missing, tenant is not null);
    }

    /// <summary>
    /// Whose credential the request carries: the client's (its token or its second key), another tenant's, or none
    /// (null). SecondKeyRefused makes the second key unknown.
    /// </summary>
    public static (bool Missing, string? Tenant) TenantOf(HttpRequest request, ServerSettings settings, bool secondKeyRefused = false)
    {
        var bearer = request.Headers.Authorization.ToString();
        var apiKey = settings.MsaDraft ? request.Headers["X-API-Key"].ToString().Trim() : "";
        bool Carries(string token) => AcceptsBearer(bearer, token) || (apiKey.Length > 0 && Same(apiKey, token));
        var tenant = Carries(settings.Token) || (!secondKeyRefused && Carries(ReferenceServerOptions.SecondKeyOf(settings.Token))) ? Primary
            : Carries(ReferenceServerOptions.OtherTenantTokenOf(settings.Token)) ? OtherTenant : null;
        return (bearer.Length == 0 && apiKey.Length == 0, tenant);
    }

    private static bool AcceptsBearer(string header, string token)
    {
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && Same(header[scheme.Length..].Trim(), token);
    }

    private static bool Same(string presented, string token) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(token));
}
