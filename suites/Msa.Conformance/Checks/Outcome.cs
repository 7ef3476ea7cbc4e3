namespace Msa.Conformance.Checks;

/// <summary>
/// The one verdict vocabulary a reader sees: a check's verdict read at its level. Failed is a MUST not met, Warning a
/// SHOULD or MAY not met; the others say why no verdict was reached. Mapped here once to the JSON name, the Allure
/// status and the message prefix; the NUnit suites map it to Assert.* in one switch.
/// </summary>
public enum Outcome { Passed, Failed, Warning, NotApplicable, Inconclusive, Error }

public static class Outcomes
{
    public static Outcome Of(Verdict verdict, Level level) => verdict switch
    {
        Verdict.Passed => Outcome.Passed,
        Verdict.Failed => level == Level.Must ? Outcome.Failed : Outcome.Warning,
        Verdict.Inconclusive => Outcome.Inconclusive,
        Verdict.NotApplicable => Outcome.NotApplicable,
        _ => Outcome.Error,
    };

    public static Outcome Of(Check check, CheckResult result) => Of(result.Verdict, check.Requirement.Level);

    /// <summary>The name in summary.json, checks/*.json and the HTML report.</summary>
    public static string Name(this Outcome outcome) => outcome switch
    {
        Outcome.Passed => "passed",
        Outcome.Failed => "failed",
        Outcome.Warning => "warning",
        Outcome.NotApplicable => "not_applicable",
        Outcome.Inconclusive => "inconclusive",
        _ => "error",
    };

    /// <summary>Allure's status: a warning is shown failed (its message says it does not fail the run); non-verdicts are skipped.</summary>
    public static string AllureStatus(this Outcome outcome) => outcome switch
    {
        Outcome.Passed => "passed",
        Outcome.Failed or Outcome.Warning => "failed",
        Outcome.Error => "broken",
        _ => "skipped",
    };

    /// <summary>What a message about this outcome starts with, so a reader of any report tells the kinds apart.</summary>
    public static string MessagePrefix(this Outcome outcome, Level level) => outcome switch
    {
        Outcome.Warning => $"{level.ToString().ToUpperInvariant()} not met (does not fail the run): ",
        Outcome.Inconclusive => "Inconclusive: ",
        Outcome.NotApplicable => "Not applicable: ",
        Outcome.Error => "Harness error: ",
        _ => "",
    };
}
