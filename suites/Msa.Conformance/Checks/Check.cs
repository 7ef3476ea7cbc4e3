using Msa.Conformance.Http;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks;

public enum Level { Must, Should, May }

/// <summary>Outcome of one check. Only Failed speaks about conformance; the others say why no verdict was reached.</summary>
public enum Verdict { Passed, Failed, Inconclusive, NotApplicable, Error }

/// <summary>
/// A position of requirements.md's "Conflicts and positions" table that makes a check judge its row more leniently
/// (a lower level) or in one profile only. It can only lower the row's level and narrow its profiles (a self-test
/// enforces it); `Cf` names the entry, e.g. "CF-12".
/// </summary>
public sealed record Deviation(string Cf, Level? Level = null, ProtocolProfile? Profile = null);

/// <summary>
/// The catalogue row a check proves, cited by id only: level, profiles, source and statement are read from
/// suites/requirements.csv, so the row is the single source of truth. A declared <see cref="Deviation"/> is the only
/// way a check may differ from its row.
/// </summary>
public sealed record Requirement(string Id, Deviation? Deviation = null)
{
    public Requirement(string id, string cf, Level? level = null, ProtocolProfile? profile = null) : this(id, new Deviation(cf, level, profile)) { }

    public CatalogueRequirement Row => RequirementCatalogue.Find(Id)
        ?? throw new InvalidOperationException($"{Id} is not a row of suites/requirements.csv");

    public Level RowLevel => ParseLevel(Row.Level);

    /// <summary>The row's profile (null = both).</summary>
    public ProtocolProfile? RowProfile => ParseProfile(Row.Profile);

    public Level Level => Deviation?.Level ?? RowLevel;
    public ProtocolProfile? Profile => Deviation?.Profile ?? RowProfile;
    public string Source => Row.Source + (Deviation is { } d ? $"; {d.Cf}" : "");
    public string Statement => Row.Statement;

    public static Level ParseLevel(string level) => level switch
    {
        "MUST" => Level.Must, "SHOULD" => Level.Should, "MAY" => Level.May,
        _ => throw new InvalidOperationException($"unknown level '{level}' in suites/requirements.csv"),
    };

    public static ProtocolProfile? ParseProfile(string profile) => profile switch
    {
        "both" => null, "ekascribe" => ProtocolProfile.Ekascribe, "msa-draft" => ProtocolProfile.MsaDraft,
        _ => throw new InvalidOperationException($"unknown profile '{profile}' in suites/requirements.csv"),
    };

    public static bool AppliesTo(ProtocolProfile? profile, ProtocolProfile run) => profile is null || profile == run;
}

/// <summary>
/// One conformance check: a stable id, a sentence about the server, the requirement it cites, the scenario whose
/// observations it reads, and the rule itself. Areas declare their checks as data; the NUnit suites and the
/// project's own tests run the same objects.
/// </summary>
public sealed record Check(string Id, string Title, Requirement Requirement, Scenario Scenario, Func<Observations, CheckResult> Rule)
{
    public string Area => Id.Split('.')[0];

    /// <summary>The one profile whose reading of the protocol this check enforces; null = both (its row's, unless a CF deviation narrows it).</summary>
    public ProtocolProfile? Profile => Requirement.Profile;

    /// <summary>
    /// Other catalogue requirements this same rule verifies on the same observations (e.g. a schema that also encodes a
    /// state's field rule). Each is proven in the kill matrix by a defect that breaks exactly that requirement.
    /// </summary>
    public IReadOnlyList<string> AlsoCites { get; init; } = [];

    /// <summary>Every requirement id this check verifies: the one it reports under, then the ones it also cites.</summary>
    public IEnumerable<string> RequirementIds => [Requirement.Id, .. AlsoCites];

    public bool AppliesTo(ProtocolProfile profile) => Requirement.AppliesTo(Profile, profile);

    /// <summary>The also-cited rows that apply in this run's profile: a row of the other profile earns no credit here.</summary>
    public IEnumerable<string> AlsoCitesIn(ProtocolProfile profile) =>
        AlsoCites.Where(id => Requirement.AppliesTo(new Requirement(id).RowProfile, profile));
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
