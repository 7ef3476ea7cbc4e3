using Msa.Conformance.Checks;

namespace Msa.Conformance.Suites;

/// <summary>
/// Upload Audio (eka upload-audio; spec 7): raw chunks in and out of order, the 200 body, multipart, every advertised
/// format, and the refusals (unsupported type, oversize, unknown session, after End). Each check is declared, with its requirement id, level and source, in
/// suites/Msa.Conformance/Checks/Upload/.
/// </summary>
[TestFixture]
public class UploadSuite
{
    private static IEnumerable<TestCaseData> Checks => ConformanceRun.Cases(Catalogue.Upload);

    [TestCaseSource(nameof(Checks))]
    public Task Check(Check check) => ConformanceRun.RunAsync(check);
}
