using static Msa.Conformance.Checks.Level;
using Msa.Conformance.Scenarios;

namespace Msa.Conformance.Checks.Errors;

/// <summary>Errors: what error.message holds (spec 11.1, seed ErrorResponse).</summary>
public static class ErrorMessage
{
    public static readonly Check NotEmpty = new(
        "errors.envelope.message-not-empty", "error.message, when it is a string, is not empty",
        new("ERR-03"), Scenario.All, o =>
        {
            var v = new Violations();
            foreach (var x in ErrorEnvelope.ErrorAnswers(o))
                if (Rules.TextOf(x.JsonObject?["error"]?["message"]) is { } message)
                    v.When(message.Trim().Length == 0, x, () => $"Expected: a non-empty error.message explaining the {x.ErrorCode()} error\nReceived: \"{message}\"");
            return v.Result();
        });

    public static IReadOnlyList<Check> All => [NotEmpty];
}
