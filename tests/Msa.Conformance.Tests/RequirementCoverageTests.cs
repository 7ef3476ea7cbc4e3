using Msa.Conformance.Checks;

namespace Msa.Conformance.Tests;

/// <summary>Every verdict is traceable: each check cites a requirement of the catalogue, at a level the catalogue allows.</summary>
[TestFixture]
public class RequirementCoverageTests
{
    [Test]
    public void TheCatalogueHoldsEveryNumberedRequirement()
    {
        var rows = RequirementCatalogue.All;
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(346), "requirements.md numbers 346 server requirements");
            Assert.That(rows.Select(r => r.Id), Is.Unique);
            Assert.That(rows.Select(r => r.Level), Is.All.AnyOf("MUST", "SHOULD", "MAY"));
            Assert.That(rows.Select(r => r.Profile), Is.All.AnyOf("both", "ekascribe", "msa-draft"));
        });
    }

    [Test]
    public void EveryCheckCitesAKnownRequirement()
    {
        var unknown = Catalogue.All.SelectMany(c => c.RequirementIds.Select(id => (Check: c, Id: id)))
            .Where(p => RequirementCatalogue.Find(p.Id) is null)
            .Select(p => $"{p.Check.Id} cites {p.Id}");
        Assert.That(unknown, Is.Empty);
    }

    [Test]
    public void EveryMustRequirementHasACheckOrAReason()
    {
        var orphans = RequirementCatalogue.All
            .Where(r => r.Level == "MUST" && !Cited.Contains(r.Id) && string.IsNullOrWhiteSpace(r.NotTestableReason))
            .Select(r => $"{r.Id} ({r.Area}): {r.Statement}");
        Assert.That(orphans, Is.Empty, "MUST requirements with neither a check citing them nor a reason in suites/requirements.csv");
    }

    /// <summary>
    /// The catalogue file names, for each requirement, the checks citing it. Run with MSA_UPDATE_CATALOGUE=1 to
    /// rewrite that column after adding or changing checks.
    /// </summary>
    [Test]
    public void TheCatalogueFileNamesTheChecksOfEachRequirement()
    {
        var rows = RequirementCatalogue.All;
        var current = rows.Select(r => r with { Checks = string.Join(" ", Catalogue.All.Where(c => c.RequirementIds.Contains(r.Id)).Select(c => c.Id).Order(StringComparer.Ordinal)) }).ToList();
        var stale = rows.Zip(current).Where(p => p.First.Checks != p.Second.Checks).Select(p => $"{p.First.Id}: file \"{p.First.Checks}\", checks \"{p.Second.Checks}\"").ToList();
        if (stale.Count > 0 && Environment.GetEnvironmentVariable("MSA_UPDATE_CATALOGUE") == "1")
        {
            File.WriteAllText(Path.Combine(CommandLineTests.RepoRoot, "suites", "requirements.csv"), RequirementCatalogue.ToCsv(current));
            Assert.Inconclusive($"suites/requirements.csv rewritten ({stale.Count} rows); rebuild and run again");
        }
        Assert.That(stale, Is.Empty, "suites/requirements.csv is out of step with the checks: run the tests with MSA_UPDATE_CATALOGUE=1 to rewrite its checks column");
    }

    [Test]
    public void NoRequirementIsBothCheckedAndCalledUntestable()
    {
        var both = RequirementCatalogue.All.Where(r => Cited.Contains(r.Id) && !string.IsNullOrWhiteSpace(r.NotTestableReason)).Select(r => r.Id);
        Assert.That(both, Is.Empty, "a checked requirement must not also carry a not-testable reason");
    }

    /// <summary>
    /// The catalogue row is the single source of truth: a check applies in exactly its row's profiles and at its row's
    /// level, unless it declares the CF position that makes it more lenient or limits it to one profile; a deviation
    /// can only lower the level and narrow the profiles. Rows it also cites must hold wherever the check runs, at no
    /// lower level, or the rule would judge a row outside its profiles or above its level.
    /// </summary>
    [Test]
    public void EveryCheckRunsInItsRowsProfilesAndNeverAboveItsLevel()
    {
        static bool Within(ProtocolProfile? inner, ProtocolProfile? outer) => outer is null || inner == outer;
        static string Name(ProtocolProfile? p) => p is { } v ? HarnessOptions.ProfileName(v) : "both";
        var problems = new List<string>();
        foreach (var c in Catalogue.All)
        {
            var r = c.Requirement;
            if (r.Deviation is { } d)
            {
                if (!System.Text.RegularExpressions.Regex.IsMatch(d.Cf, @"^CF-\d{2}$")) problems.Add($"{c.Id}: deviation names '{d.Cf}', not a CF entry");
                if (d.Level is null && d.Profile is null) problems.Add($"{c.Id}: declares {d.Cf} but deviates from {r.Id} in nothing");
                if (d.Level is { } l && l <= r.RowLevel) problems.Add($"{c.Id}: {d.Cf} must lower {r.Id}'s level {r.RowLevel}, not set {l}");
                if (d.Profile is { } p && !Within(p, r.RowProfile)) problems.Add($"{c.Id}: {d.Cf} runs it in {Name(p)}, outside {r.Id}'s profile {Name(r.RowProfile)}");
            }
            else if (c.Requirement.Level != r.RowLevel || c.Profile != r.RowProfile) problems.Add($"{c.Id}: differs from {r.Id} without a CF deviation");
            foreach (var also in c.AlsoCites.Select(id => new Requirement(id)))
            {
                if (!Within(c.Profile, also.RowProfile)) problems.Add($"{c.Id} runs in {Name(c.Profile)} but also cites {also.Id}, a row of {Name(also.RowProfile)}");
                if (also.RowLevel > c.Requirement.Level) problems.Add($"{c.Id} reports at {c.Requirement.Level} but also cites {also.Id}, a {also.RowLevel} row");
            }
        }
        Assert.That(problems, Is.Empty);
    }

    /// <summary>Every requirement id some check cites, as the one it reports under or one it also verifies.</summary>
    private static HashSet<string> Cited => Catalogue.All.SelectMany(c => c.RequirementIds).ToHashSet();

}
