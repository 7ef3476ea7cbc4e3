namespace Msa.Conformance.Reporting;

/// <summary>How reports name a non-verdict and group the causes behind them.</summary>
public static class NonVerdicts
{
    /// <summary>
    /// Which kind of non-verdict a row is: the check belongs to the other profile, the feature is not declared in
    /// discovery, or a step it needed was not reached (its cause and the row judging it are in the message).
    /// </summary>
    public static string? Kind(string status, string message) => status switch
    {
        "not_applicable" when message.StartsWith("applies to profile", StringComparison.Ordinal) => "other profile",
        "not_applicable" when message.Contains("discovery", StringComparison.OrdinalIgnoreCase) || message.Contains("declare", StringComparison.OrdinalIgnoreCase)
            || message.Contains("advertise", StringComparison.OrdinalIgnoreCase) => "not declared in discovery",
        "not_applicable" => "not applicable here",
        "inconclusive" => "not reached",
        _ => null,
    };

    /// <summary>The cause of a non-verdict: the scenario's stop reason or the first clause of the message, for grouping.</summary>
    public static string CauseOf(string message)
    {
        var line = message.Split('\n')[0];
        var scenario = line.IndexOf(" scenario: ", StringComparison.Ordinal);
        var cause = scenario >= 0 ? line[..scenario] + " scenario: " + line[(scenario + " scenario: ".Length)..] : line;
        return cause.Length > 180 ? cause[..180] + "…" : cause;
    }

}
