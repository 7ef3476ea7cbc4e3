using System.Security.Cryptography;
using System.Text.Json.Nodes;
using RestSharp;

namespace Msa.Conformance.Scenarios;

/// <summary>The authentication sequence (AUTH-01/02/03/10).</summary>
public sealed partial class ScenarioDriver
{
    /// <summary>
    /// GET, End and Upload of an unknown id without a credential (401 expected before any lookup); then a real session,
    /// and each authenticated endpoint called on it once without a credential and once with a wrong one. End comes
    /// last, so a server that wrongly accepts it has already answered the other probes for a live session.
    /// </summary>
    private Task<ScenarioRun> UnauthenticatedAsync(ScenarioRun run, CancellationToken ct) => GuardedAsync(run, async () =>
    {
        var wav = AudioFixtures.Chunks()[0];
        var unknown = UnknownSessionId();
        run.Probes[Probe.UnknownIdNoCredential("get")] = run.Record(await Client.SendAsync(Probe.UnknownIdNoCredential("get"), Method.Get,
            target.SessionUrl(unknown), auth: false, ct: ct));
        run.Probes[Probe.UnknownIdNoCredential("end")] = await PostEndAsync(run, Probe.UnknownIdNoCredential("end"), unknown, 0, auth: false, ct: ct);
        run.Probes[Probe.UnknownIdNoCredential("upload")] = await PostChunkAsync(run, $"upload {wav.FileName} to an unknown id without credential",
            target.SessionUrl(unknown) + "/audio", wav, auth: false, ct: ct);

        if (!await CreateAsync(run, Options.Templates.Take(1).ToArray(), ct) || !HasUploadUrl(run)) return;
        var wrong = "msa-conformance-invalid-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        foreach (var endpoint in Probe.AuthenticatedEndpoints)
            foreach (var (key, auth, secret) in new[] { (Probe.NoCredential(endpoint), false, (string?)null), (Probe.WrongCredential(endpoint), true, wrong) })
                run.Probes[key] = endpoint switch
                {
                    "create" => run.Record(await Client.SendAsync(key, Method.Post, target.SessionsUrl, (JsonNode)run.CreateRequest!.DeepClone(),
                        auth: auth, authOverride: secret, ct: ct)),
                    "upload" => await PostChunkAsync(run, $"upload {wav.FileName} {key["upload ".Length..]}", run.UploadUrl!, wav, auth, secret, ct),
                    "end" => await PostEndAsync(run, key, run.SessionId!, 0, auth, secret, ct),
                    _ => await GetAsync(run, key, auth: auth, authOverride: secret, ct: ct),
                };
        await CredentialLessRightAfterAuthenticatedAsync(run, ct);
    }, ct);
}
