using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks;

public enum Level { Must, Should, May }

/// <summary>Outcome of one check. Only Failed speaks about conformance; the others say why no verdict was reached.</summary>
public enum Verdict { Passed, Failed, Inconclusive, NotApplicable, Error }

/// <summary>The requirement a check proves: its catalogue id, level and where the spec says so.</summary>
public sealed record Requirement(string Id, Level Level, string Source);

/// <summary>
/// One conformance check: a stable id, a sentence about the server, the requirement it cites, the scenario whose
/// observations it reads, and the rule itself. Areas declare their checks as data; the NUnit suites and the
/// project's own tests run the same objects.
/// </summary>
public sealed record Check(string Id, string Title, Requirement Requirement, Scenario Scenario, Func<Observations, CheckResult> Rule)
{
    public string Area => Id.Split('.')[0];

    /// <summary>The one profile whose reading of the protocol this check enforces; null = both (requirements.md, Profile column).</summary>
    public ProtocolProfile? Profile { get; init; }

    /// <summary>
    /// Other catalogue requirements this same rule verifies on the same observations (e.g. a schema that also encodes a
    /// state's field rule). Each is proven in the kill matrix by a defect that breaks exactly that requirement.
    /// </summary>
    public IReadOnlyList<string> AlsoCites { get; init; } = [];

    /// <summary>Every requirement id this check verifies: the one it reports under, then the ones it also cites.</summary>
    public IEnumerable<string> RequirementIds => [Requirement.Id, .. AlsoCites];

    public bool AppliesTo(ProtocolProfile profile) => Profile is null || Profile == profile;
    public override string ToString() => Id;
}

public sealed record CheckResult(Verdict Verdict, string Message, IReadOnlyList<Exchange> Evidence)
{
    public static CheckResult Pass(string message = "") => new(Verdict.Passed, message, []);
    public static CheckResult Fail(string message, params Exchange[] evidence) => new(Verdict.Failed, message, evidence);
    public static CheckResult Inconclusive(string reason, params Exchange[] evidence) => new(Verdict.Inconclusive, reason, evidence);
    public static CheckResult NotApplicable(string reason) => new(Verdict.NotApplicable, reason, []);
}

/// <summary>Thrown by a rule when the state it needs was never observed; the runner turns it into a non-verdict.</summary>
public sealed class NotReached(Verdict verdict, string reason) : Exception(reason)
{
    public Verdict Verdict { get; } = verdict;
}

/// <summary>Collects every violation a rule finds, so one failure message lists them all with their exchanges.</summary>
public sealed class Violations
{
    private readonly List<(string Message, Exchange? Exchange)> _found = [];
    private int _examined;

    /// <summary>Records a violation when `violated` is true; `describe` is only built then.</summary>
    public Violations When(bool violated, Exchange? exchange, Func<string> describe)
    {
        _examined++;
        if (violated) _found.Add((describe(), exchange));
        return this;
    }

    public int Count => _found.Count;

    /// <summary>Passed when nothing was found; Failed with "Expected/Received" lines and the proving exchanges otherwise.</summary>
    public CheckResult Result(string? passNote = null)
    {
        if (_found.Count == 0) return CheckResult.Pass(passNote ?? $"{_examined} observation(s) examined, none violates the requirement.");
        var lines = _found.Take(5).Select(f => f.Message + (f.Exchange is null ? "" : "\nSeen in: " + f.Exchange.Summary()));
        var more = _found.Count > 5 ? $"\n… and {_found.Count - 5} more violation(s)." : "";
        var evidence = _found.Where(f => f.Exchange is not null).Select(f => f.Exchange!).Distinct().Take(5).ToArray();
        return CheckResult.Fail(string.Join("\n\n", lines) + more, evidence);
    }
}
