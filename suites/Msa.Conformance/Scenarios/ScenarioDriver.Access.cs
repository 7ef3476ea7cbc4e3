using Msa.Conformance.Checks;
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
        // A presigned upload_url carries its own credential (its signature): no API credential to leave out or get wrong.
        foreach (var endpoint in Probe.AuthenticatedEndpoints.Where(e => e != "upload" || !Http.PresignedUrl.Is(run.UploadUrl)))
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
        await OtherCredentialsAsync(run, wav, ct);
    }, ct);

    /// <summary>
    /// ISO-10, with another tenant's key: a session of that client, created and ended (no audio) while this client's
    /// webhook registrations listen, so an event about it reaching them would show.
    /// </summary>
    internal async Task<Http.Exchange> CreateAndEndAsOtherTenantAsync(ScenarioRun run, CancellationToken ct)
    {
        var other = Options.OtherTenantToken;
        var create = run.Record(await Client.SendAsync(Probe.OtherTenant("create"), Method.Post, target.SessionsUrl,
            CreateBody(Scenario.Webhooks, Options.Templates.Take(1).ToArray()), authOverride: other, ct: ct));
        RepeatedSessionId(create, $"the probe '{Probe.OtherTenant("create")}'");
        if (OwnSessionId(create) is { } id) await PostEndAsync(run, Probe.OtherTenant("end its session"), id, 0, true, other, ct);
        return create;
    }

    /// <summary>
    /// With the optional second key (AUTH-12): the session read with it, and a session it creates read with the first
    /// key. With another tenant's key (ISO-04): GET, Upload and End of this session with it, then the session read with
    /// the run's own key, before and after, to show it was left unchanged.
    /// </summary>
    private async Task OtherCredentialsAsync(ScenarioRun run, AudioChunk wav, CancellationToken ct)
    {
        if (Options.SecondKey.Length > 0)
        {
            run.Probes[Probe.SecondKeyRead] = await GetAsync(run, Probe.SecondKeyRead, authOverride: Options.SecondKey, ct: ct);
            var body = CreateBody(run.Scenario, Options.Templates.Take(1).ToArray());
            var created = run.Probes[Probe.SecondKeyCreate] = await WithRetriesAsync(run, Probe.SecondKeyCreate,
                name => Client.SendAsync(name, Method.Post, target.SessionsUrl, body.DeepClone(), authOverride: Options.SecondKey, ct: ct), ct);
            RepeatedSessionId(created, $"the probe '{Probe.SecondKeyCreate}'");
            if (OwnSessionId(created) is { } id)
                run.Probes[Probe.FirstKeyReadsSecondKeySession] = await ReadProbeSessionAsync(run, Probe.FirstKeyReadsSecondKeySession, id, ct: ct);
        }
        if (Options.OtherTenantToken.Length == 0) return;
        var other = Options.OtherTenantToken;
        run.Probes[Probe.OwnerBeforeOtherTenant] = await GetAsync(run, Probe.OwnerBeforeOtherTenant, ct: ct);
        run.Probes[Probe.OtherTenant("get")] = await GetAsync(run, Probe.OtherTenant("get"), authOverride: other, ct: ct);
        if (!Http.PresignedUrl.Is(run.UploadUrl))
            run.Probes[Probe.OtherTenant("upload")] = await PostChunkAsync(run, $"upload {wav.Renamed(7).FileName} {Probe.OtherTenant("upload")}", run.UploadUrl!, wav.Renamed(7), true, other, ct);
        run.Probes[Probe.OtherTenant("end")] = await PostEndAsync(run, Probe.OtherTenant("end"), run.SessionId!, 1, true, other, ct);
        run.Probes[Probe.OwnerAfterOtherTenant] = await GetAsync(run, Probe.OwnerAfterOtherTenant, ct: ct);
    }
}
