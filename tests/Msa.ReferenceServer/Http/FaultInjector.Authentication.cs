using Msa.ReferenceServer.Endpoints;
using Msa.ReferenceServer.Sessions;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Msa.ReferenceServer.Http;

/// <summary>
/// Faults in which requests count as authenticated (a credential carried over on a connection, End refusing the profile's key form).
/// </summary>
internal sealed partial class FaultInjector
{
    private readonly ConcurrentDictionary<string, bool> authenticatedConnections = new(StringComparer.Ordinal);

    /// <summary>Whether the request counts as authenticated under its faults (with none on: exactly when `valid`).</summary>
    public bool CountsAsAuthenticated(HttpContext http, string? endpointName, bool missing, bool valid)
    {
        if (valid && On(Fault.CredentialCarriedOverOnConnection)) authenticatedConnections[http.Connection.Id] = true;
        if (missing && On(Fault.CredentialCarriedOverOnConnection)) return authenticatedConnections.ContainsKey(http.Connection.Id);
        if (valid && On(Fault.EndRefusesProfileKeyForm) && endpointName == SessionEndpoints.EndSessionName)
            return settings.MsaDraft ? http.Request.Headers["X-API-Key"].Count == 0 : http.Request.Headers.Authorization.Count == 0;
        return valid;
    }
}
