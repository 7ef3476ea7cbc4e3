using System.Text.Json.Nodes;
using Msa.Conformance.Checks;
using Msa.Conformance.Checks.CreateSession;

namespace Msa.Conformance.Scenarios;

public sealed partial class ScenarioDriver
{
    /// <summary>How many Creates <see cref="ParallelCreatesAsync"/> sends at once (ISO-01): enough to race, cheap enough to always run.</summary>
    public const int ParallelCreates = 5;

    /// <summary>How many chunks ParallelUploads sends to one session at once (ISO-03).</summary>
    public const int ParallelChunks = 6;

    public static string ParallelCreate(int i) => $"parallel create {i + 1}";

    /// <summary>
    /// The bodies the server must accept (<see cref="CreateSessionAccepted.Rows"/>), then <see cref="ParallelCreates"/>
    /// Creates sent at once. Part of the CreateSession scenario.
    /// </summary>
    private async Task AcceptedBodiesAndParallelCreatesAsync(ScenarioRun run, string[] templates, Capabilities capabilities, CancellationToken ct)
    {
        foreach (var row in CreateSessionAccepted.Rows.Where(r => r.AppliesTo(Options.ProtocolProfile)))
        {
            var body = CreateBody(run.Scenario, templates);
            row.Adjust(body, capabilities);
            run.Probes[CreateSessionAccepted.Probe(row.Slug)] = await PostCreateAsync(run, CreateSessionAccepted.Probe(row.Slug), body, ct);
        }
        var answers = await Task.WhenAll(Enumerable.Range(0, ParallelCreates)
            .Select(i => PostCreateAsync(run, ParallelCreate(i), CreateBody(run.Scenario, templates), ct)));
        for (var i = 0; i < answers.Length; i++) run.Probes[ParallelCreate(i)] = answers[i];
    }

    public static string SimultaneousEnd(int i) => $"simultaneous end {i + 1} of 2";

    /// <summary>Chunks 10 and 9 (in that order) into the run's last session, then two Ends of it sent at once (UPL-19, ISO-06).</summary>
    private async Task SimultaneousEndsAsync(ScenarioRun run, CancellationToken ct)
    {
        foreach (var sequence in new[] { 10, 9 })
        {
            var chunk = AudioFixtures.Chunks()[0].Renamed(sequence);
            await PostChunkAsync(run, $"upload {chunk.FileName} (numeric order)", run.UploadUrl!, chunk, ct: ct);
        }
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => PostEndAsync(run, SimultaneousEnd(i), run.SessionId!, 1, ct: ct)));
        for (var i = 0; i < answers.Length; i++) run.Probes[SimultaneousEnd(i)] = answers[i];
    }

    public const string AuthenticatedGet = "get with credential";
    public const string CredentialLessGetAfter = "get without credential right after an authenticated get";

    /// <summary>An authenticated GET, then at once the same GET without a credential over the same client (AUTH-11).</summary>
    private async Task CredentialLessRightAfterAuthenticatedAsync(ScenarioRun run, CancellationToken ct)
    {
        run.Probes[AuthenticatedGet] = await GetAsync(run, AuthenticatedGet, ct: ct);
        run.Probes[CredentialLessGetAfter] = run.Record(await Client.SendAsync(CredentialLessGetAfter, RestSharp.Method.Get,
            target.SessionUrl(run.SessionId!), auth: false, sameConnection: true, ct: ct));
    }
}
