using System.Text;

namespace Msa.Conformance;

/// <summary>
/// One row of suites/requirements.csv: a numbered server requirement of requirements.md, and either the checks that
/// cite it (space-separated check ids) or the reason it has none.
/// </summary>
public sealed record CatalogueRequirement(string Id, string Area, string Level, string Profile, string Source, string Statement, string NotTestableReason, string Checks = "");

/// <summary>
/// The requirement catalogue as data (suites/requirements.csv, imported from requirements.md by
/// tests/tools/requirements-to-csv.js). Checks cite its ids; coverage is which ids some check cites.
/// </summary>
public static class RequirementCatalogue
{
    public static string FilePath { get; set; } = Path.Combine(AppContext.BaseDirectory, "requirements.csv");

    private static readonly Lazy<IReadOnlyList<CatalogueRequirement>> Rows = new(() => Load(File.ReadAllText(FilePath)));

    public static IReadOnlyList<CatalogueRequirement> All => Rows.Value;

    public static CatalogueRequirement? Find(string id) => All.FirstOrDefault(r => r.Id == id);

    public static IReadOnlyList<CatalogueRequirement> Load(string csv)
    {
        var records = ParseCsv(csv).ToList();
        return records.Skip(1).Where(r => r.Count >= 7)
            .Select(r => new CatalogueRequirement(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r.Count > 7 ? r[7] : "")).ToList();
    }

    public static readonly string[] Columns = ["id", "area", "level", "profile", "source", "statement", "not_testable_reason", "checks"];

    /// <summary>The catalogue as suites/requirements.csv holds it (the same quoting as tests/tools/requirements-to-csv.js).</summary>
    public static string ToCsv(IEnumerable<CatalogueRequirement> rows)
    {
        static string Field(string v) => v.IndexOfAny(['"', ',', '\n']) >= 0 ? $"\"{v.Replace("\"", "\"\"")}\"" : v;
        var sb = new StringBuilder(string.Join(",", Columns)).Append('\n');
        foreach (var r in rows)
            sb.Append(string.Join(",", new[] { r.Id, r.Area, r.Level, r.Profile, r.Source, r.Statement, r.NotTestableReason, r.Checks }.Select(Field))).Append('\n');
        return sb.ToString();
    }

    /// <summary>RFC 4180: quoted fields may hold commas, quotes ("") and newlines.</summary>
    private static IEnumerable<List<string>> ParseCsv(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                row.Add(field.ToString().TrimEnd('\r')); field.Clear();
                yield return row;
                row = [];
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); yield return row; }
    }
}
