using YamlDotNet.RepresentationModel;

namespace Msa.Conformance.Tests;

/// <summary>The CI recipes vendors copy are well-formed and call the documented command line.</summary>
[TestFixture]
public class CiRecipeTests
{
    private static string Recipe(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Conformance.sln"))) return File.ReadAllText(Path.Combine(d.FullName, ".ci", "examples", name));
        throw new InvalidOperationException("not inside the checkout");
    }

    private static YamlMappingNode Parse(string text)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s => [s.Value ?? ""],
        YamlSequenceNode q => q.Children.SelectMany(Scalars),
        YamlMappingNode m => m.Children.SelectMany(p => Scalars(p.Key).Concat(Scalars(p.Value))),
        _ => [],
    };

    [TestCase("github-actions.yml")]
    [TestCase("gitlab-ci.yml")]
    public void RecipeRunsTheDocumentedCommandWithTheCredentialFromASecret(string name)
    {
        var text = string.Join("\n", Scalars(Parse(Recipe(name))));
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Match(@"run\.sh --target ""\$(\{\{ vars\.)?MSA_TARGET_URL"));
            Assert.That(text, Does.Contain("--report-dir"));
            Assert.That(text, Does.Not.Contain("--token "), "the credential never goes on the command line");
            Assert.That(text, Does.Contain("junit.xml"));
            Assert.That(text, Does.Contain("allure-report/index.html"));
            Assert.That(text, Does.Contain("1)").And.Contain("exit 1"), "exit 1 fails the job");
            Assert.That(text, Does.Contain("exit 2"), "exit 2 is a harness error, reported as such");
        });
    }

    [Test]
    public void GitHubTakesTheTokenFromSecretsAndPublishesJunit()
    {
        var text = Recipe("github-actions.yml");
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("MSA_TOKEN: ${{ secrets.MSA_TOKEN }}"));
            Assert.That(text, Does.Contain("report_paths: msa-reports/junit.xml"));
            Assert.That(Parse(text).Children.ContainsKey(new YamlScalarNode("jobs")));
        });
    }

    [Test]
    public void GitLabPublishesJunitAndMarksHarnessErrorsApart()
    {
        var job = (YamlMappingNode)Parse(Recipe("gitlab-ci.yml"))["msa-conformance"];
        var exitCodes = (YamlSequenceNode)((YamlMappingNode)job["allow_failure"])["exit_codes"];
        Assert.Multiple(() =>
        {
            Assert.That(exitCodes.Children.Select(c => c.ToString()), Is.EqualTo(new[] { "2" }));
            Assert.That(((YamlMappingNode)((YamlMappingNode)job["artifacts"])["reports"])["junit"].ToString(), Is.EqualTo("msa-reports/junit.xml"));
        });
    }
}
