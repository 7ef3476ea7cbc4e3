using Msa.Conformance.Checks;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

public static partial class KillMatrix
{
    private static readonly IReadOnlyList<(Fault Fault, Check Check)> WebhookCoverageRows =
    [
    ];
}
