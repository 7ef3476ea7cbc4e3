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
            Assert.That(rows, Has.Count.EqualTo(344), "requirements.md numbers 344 server requirements");
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

    [Test]
    public void NoCheckIsStricterThanItsRequirement()
    {
        // A check may report a MUST more leniently where a conflict entry (CF-nn) says so, never the reverse.
        static int Rank(string level) => level switch { "MUST" => 3, "SHOULD" => 2, _ => 1 };
        var stricter = Catalogue.All
            .Select(c => (Check: c, Row: RequirementCatalogue.Find(c.Requirement.Id)))
            .Where(p => p.Row is not null && Rank(CheckRecordLevel(p.Check)) > Rank(p.Row.Level))
            .Select(p => $"{p.Check.Id}: {CheckRecordLevel(p.Check)} but {p.Row!.Id} is {p.Row.Level}");
        Assert.That(stricter, Is.Empty);
    }

    /// <summary>Every requirement id some check cites, as the one it reports under or one it also verifies.</summary>
    private static HashSet<string> Cited => Catalogue.All.SelectMany(c => c.RequirementIds).ToHashSet();

    private static string CheckRecordLevel(Check c) => Reporting.CheckRecord.LevelName(c.Requirement.Level);
}
