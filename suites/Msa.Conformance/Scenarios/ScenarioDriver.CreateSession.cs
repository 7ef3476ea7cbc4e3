using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Checks.CreateSession;
using RestSharp;

namespace Msa.Conformance.Scenarios;

public sealed partial class ScenarioDriver
{
    /// <summary>
    /// The plain Create (the run's session) and a GET of it; in ekascribe a Create with a client-chosen session_id and a
    /// GET by that id; one Create per other upload method discovery advertises; then every bad body of
    /// <see cref="CreateSessionRefusals.Rows"/> that applies to this profile and server.
    /// </summary>
    private async Task<ScenarioRun> CreateSessionAsync(ScenarioRun run, CancellationToken ct)
    {
        try
        {
            var templates = Options.Templates.Take(1).ToArray();
            if (await CreateAsync(run, templates, ct)) await GetAsync(run, "get created session", ct: ct);
            // No route at all: every probe below would be judged on a 404 that only says base_url is wrong (DISC-14's finding).
            if (run.Create is { GotResponse: true, Status: 404 or 405 } missing)
            {
                run.Stop(Verdict.Inconclusive, $"POST {missing.Url} answered {missing.Status}: there is no Create Session route there, so no Create probe could be judged (see DISC-14)");
                return run;
            }

            if (Options.ProtocolProfile == ProtocolProfile.Ekascribe)
            {
                var body = CreateBody(run.Scenario, templates);
                body["session_id"] = ClientSessionId();
                var created = run.Probes[ProbeNames.ClientIdCreate] = await PostCreateAsync(run, ProbeNames.ClientIdCreate, body, ct);
                if (created.Accepted)
                    run.Probes[ProbeNames.ClientIdRead] = await ReadProbeSessionAsync(run, ProbeNames.ClientIdRead, body["session_id"]!.GetValue<string>(), ct: ct);
            }

            var capabilities = Capabilities.From(target.Discovery);
            foreach (var method in capabilities.Declared(Feature.UploadMethod).Where(m => m != "chunked").Distinct())
            {
                var body = CreateBody(run.Scenario, templates);
                body["upload_type"] = method;
                if (method == "stream") body["communication_protocol"] = "websocket"; // CF-62: the pairing the harness assumes
                run.Probes[ProbeNames.UploadMethodCreate(method)] = await PostCreateAsync(run, ProbeNames.UploadMethodCreate(method), body, ct);
            }

            foreach (var row in CreateSessionRefusals.Rows.Where(r => r.AppliesTo(Options.ProtocolProfile) && r.NotApplicable(capabilities) is null))
            {
                var text = row.Body(new(CreateBody(run.Scenario, templates), capabilities, Options));
                run.Probes[ProbeNames.BadBody(row.Slug)] = await PostCreateAsync(run, ProbeNames.BadBody(row.Slug), text, ct);
            }
            await AcceptedBodiesAndParallelCreatesAsync(run, templates, capabilities, ct);
            await NullAdditionalDataAsync(run, templates, ct);
            if (Options.ProtocolProfile == ProtocolProfile.MsaDraft)
                foreach (var model in capabilities.Declared(Feature.Model).Distinct())
                {
                    var body = CreateBody(run.Scenario, templates);
                    body["model"] = model;
                    run.Probes[ProbeNames.ModelCreate(model)] = await PostCreateAsync(run, ProbeNames.ModelCreate(model), body, ct);
                }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { run.Stop(Verdict.Inconclusive, "a request was cancelled"); }
        finally { run.FinishedAt = DateTimeOffset.UtcNow; }
        return run;
    }

    private async Task<Http.Exchange> PostCreateAsync(ScenarioRun run, string step, object body, CancellationToken ct,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        var x = await SendWithRetriesAsync(run, step, Method.Post, target.SessionsUrl, body as JsonNode, headers, ct, body as string);
        RepeatedSessionId(x, $"the probe '{step}'");
        return x;
    }

    /// <summary>
    /// Claims the session id an accepted Create handed out; when an earlier Create of the run already got it, marks the
    /// exchange (<see cref="Http.Exchange.RepeatsSessionIdOf"/>) and returns who got it first.
    /// </summary>
    private string? RepeatedSessionId(Http.Exchange create, string claimant)
    {
        if (!create.Accepted || create.Text("session_id") is not { } id) return null;
        return create.RepeatsSessionIdOf = target.ClaimSessionId(id, claimant);
    }

    /// <summary>The id of the session an accepted Create made for this step alone; null when refused, or when the id repeats another's (CRE-09).</summary>
    private static string? OwnSessionId(Http.Exchange create) =>
        create.Accepted && create.RepeatsSessionIdOf is null ? create.Text("session_id") : null;

    /// <summary>ADD-13: Create with "additional_data": null; when accepted, one GET of that session.</summary>
    private async Task NullAdditionalDataAsync(ScenarioRun run, string[] templates, CancellationToken ct)
    {
        var body = CreateBody(run.Scenario, templates);
        body["additional_data"] = null;
        var x = run.Probes[ProbeNames.NullAdditionalDataCreate] = await PostCreateAsync(run, ProbeNames.NullAdditionalDataCreate, body, ct);
        if (OwnSessionId(x) is { } id)
            run.Probes[ProbeNames.NullAdditionalDataRead] = await ReadProbeSessionAsync(run, ProbeNames.NullAdditionalDataRead, id, ct: ct);
    }

    /// <summary>25 characters with a '-', inside EkaScribe's 16–32 (CRE-14); random, so runs never collide.</summary>
    private static string ClientSessionId() => "msa-conf-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
