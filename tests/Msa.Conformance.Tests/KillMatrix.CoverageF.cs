using Msa.Conformance.Checks;
using Msa.Conformance.Checks.AdditionalData;
using Msa.Conformance.Checks.Auth;
using Msa.Conformance.Checks.CreateSession;
using Msa.Conformance.Checks.Errors;
using Msa.Conformance.Checks.GetSession;
using Msa.Conformance.Checks.Upload;
using Msa.Conformance.Checks.Versioning;
using Msa.ReferenceServer;

namespace Msa.Conformance.Tests;

public static partial class KillMatrix
{
    private static readonly IReadOnlyList<(Fault Fault, Check Check)> CoverageFRows =
    [
        (Fault.PendingWithoutAdditionalData, Schema("202")),
        (Fault.ProcessingErrorsAsStrings, Schema("206")),
        (Fault.ExpiredCarriesTranscript, Schema("410")),
        (Fault.PresignedUrlOverHttp, GetSessionTemplates.EntryFields),
        (Fault.NeverExpires, GetSessionPairing.ExpiredIs410),
        (Fault.AnswersCrossBetweenSessions, GetSessionPairing.SessionIdEchoed),
        (Fault.AdditionalDataNullsDropped, AdditionalDataPassThrough.UnchangedExactly),
        (Fault.AdditionalDataGainsProtocolKey, AdditionalDataPassThrough.UnchangedExactly),
        (Fault.SessionIdWithoutPrefix, CreateSessionAccepted.IdsMatchSchemaPattern),
        (Fault.CreateAcceptsMissingTemplates, Refusal("missing-templates")),
        (Fault.UnknownTemplateCreateAs500, CreateSessionAccepted.UnknownTemplateRefusedOrReported),
        (Fault.CreateSetsCookieWithoutHttpOnly, AuthenticationCoverage.CookiesProtected),
        (Fault.DeprecatedVersionDroppedBeforeSunset, VersionHeader.DeprecatedStillSupported),
        (Fault.UploadRequiresContentType, UploadAccepted.WithoutContentType),
        (Fault.UploadAcceptedAfterCompletion, UploadRefused.AfterCompletionRefused),
        (Fault.UploadAfterCompletionSaysSessionEnded, UploadRefused.AfterCompletionIsSessionCompleted),
        (Fault.OverlappingUploadsLost, UploadAccepted.ParallelChunksAllRecorded),
        (Fault.ChunkTooLargeWith413, ErrorCodeStatus.All.Single(c => c.Requirement.Id == "ERR-08")),
    ];
}
