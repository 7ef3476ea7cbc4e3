using System.Collections.Concurrent;
using Msa.Conformance.Checks;

namespace Msa.Conformance.Scenarios;

/// <summary>
/// Runs each scenario at most once per target and shares its observations with every check that reads it.
/// StartAll launches the independent scenarios together, so a run takes as long as its slowest scenario.
/// </summary>
public sealed class ScenarioSet(Target target, Action<string>? progress = null)
{
    private readonly ConcurrentDictionary<Scenario, Lazy<Task<ScenarioRun>>> _runs = new();
    private readonly ScenarioDriver _driver = new(target) { Progress = progress };
    private readonly CancellationTokenSource _interrupt = new();

    public static readonly Scenario[] Sequences = Enum.GetValues<Scenario>().Where(s => s != Scenario.All).ToArray();

    /// <summary>The scenarios a Scenario.All check reads: every session sequence (the webhook scenario, the burst, the TLS handshakes and the streams are their own areas').</summary>
    public static readonly Scenario[] ReadByAll = Sequences.Where(s => s is not (Scenario.Webhooks or Scenario.Burst or Scenario.Transport
        or Scenario.StreamBinary or Scenario.StreamJson or Scenario.StreamJson8k)).ToArray();

    public Target Target => target;

    public Task<ScenarioRun> Get(Scenario scenario) =>
        _runs.GetOrAdd(scenario, s => new Lazy<Task<ScenarioRun>>(() => Task.Run(() => RunAsync(s)))).Value;

    /// <summary>One scenario, with a progress line when it ends, so the console shows which one a run waits for.</summary>
    private async Task<ScenarioRun> RunAsync(Scenario scenario)
    {
        // The burst comes last, so that no 429 it provokes can reach another scenario's requests.
        if (scenario == Scenario.Burst && target.Options.Burst > 0)
        {
            await Task.WhenAll(Sequences.Where(s => s != Scenario.Burst).Select(s => Get(s).ContinueWith(_ => { }, TaskScheduler.Default)));
            // It reads a session the run knows exists, so its answers are the session API's, not an unknown route's.
            var completed = await Get(Scenario.Completed);
            _driver.BurstSessionId = completed.NotItsOwnSession is null ? completed.SessionId : null;
        }
        var run = await _driver.RunAsync(scenario, _interrupt.Token);
        progress?.Invoke($"{scenario}: finished{(run.Stopped is { } stop ? $" early ({stop.Reason})" : "")}");
        return run;
    }

    public void StartAll() { foreach (var s in Sequences) _ = Get(s); }

    /// <summary>
    /// Interrupts the scenarios still running and waits (at most `grace`) for them to wind down, so that what they
    /// created on the server (webhook registrations) is removed before the client goes away.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _interrupt.CancelAsync();
        var started = _runs.Values.Where(l => l.IsValueCreated).Select(l => l.Value);
        await Task.WhenAny(Task.WhenAll(started).ContinueWith(_ => { }, TaskScheduler.Default), Task.Delay(grace));
    }

    /// <summary>What a check reads: its own scenario's run (or, for Scenario.All, every scenario once all have finished).</summary>
    public async Task<Observations> ObserveAsync(Check check) =>
        ObservationsFor(check, check.Scenario == Scenario.All ? await Task.WhenAll(ReadByAll.Select(Get)) : [await Get(check.Scenario)],
            target.Options, target.Discovery);

    /// <summary>What a check reads, from runs already made: its own scenario's, or for Scenario.All every one ReadByAll names.</summary>
    public static Observations ObservationsFor(Check check, IReadOnlyList<ScenarioRun> runs, HarnessOptions options, System.Text.Json.Nodes.JsonObject? discovery)
    {
        if (check.Scenario == Scenario.All)
            return new Observations(null, [.. ReadByAll.Select(s => runs.Single(r => r.Scenario == s))], options) { Discovery = discovery };
        var run = runs.Single(r => r.Scenario == check.Scenario);
        return new Observations(run, [run], options) { Discovery = discovery };
    }

    /// <summary>Evaluates one check; a rule that cannot reach its state or that breaks gives a non-verdict, never a crash.</summary>
    public async Task<CheckResult> EvaluateAsync(Check check)
    {
        if (OutsideProfile(check, target.Options) is { } skipped) return skipped; // its scenario need not run
        Observations observations;
        try { observations = await ObserveAsync(check); }
        catch (Exception e) { return new CheckResult(Verdict.Error, $"the scenario broke inside the harness: {e.GetType().Name}: {e.Message}", []); }
        return Evaluate(check, observations);
    }

    public static CheckResult Evaluate(Check check, Observations observations)
    {
        if (OutsideProfile(check, observations.Options) is { } skipped) return skipped;
        CheckResult result;
        try { result = check.Rule(observations); }
        catch (NotReached n) { return new CheckResult(n.Verdict, n.Message, []); }
        catch (Exception e) { return new CheckResult(Verdict.Error, $"the check broke inside the harness: {e.GetType().Name}: {e.Message}", []); }
        // A run whose session turned out to be another Create's saw nothing of its own session: only a failure its
        // Create answers prove stands (CRE-09 judges the repeated id itself).
        if (check.Scenario != Scenario.All && observations.Run.NotItsOwnSession is { } foreign
            && !(result.Verdict == Verdict.Failed && result.Evidence.All(Rules.IsCreate)))
            return new CheckResult(Verdict.Inconclusive, $"not reached: {check.Scenario} scenario: {foreign}", []);
        return result;
    }

    /// <summary>Not applicable, with the reason, when the check enforces the other profile's reading of the protocol.</summary>
    public static CheckResult? OutsideProfile(Check check, HarnessOptions options) => check.AppliesTo(options.ProtocolProfile) ? null
        : CheckResult.NotApplicable($"applies to profile {HarnessOptions.ProfileName(check.Profile!.Value)}; this run uses profile {options.Profile}.");
}
