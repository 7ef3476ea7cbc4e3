using Msa.Conformance.Scenarios;
using static Msa.Conformance.Checks.Level;

namespace Msa.Conformance.Checks.Upload;

/// <summary>Upload Audio, the refusing side: unsupported type, oversize chunk, unknown session, ended session (eka upload-audio error table).</summary>
public static class UploadRefused
{
    private const string Eka = "eka upload-audio";

    public static readonly Check UnsupportedType = new(
        "upload.refused.unsupported-type-400", $"An upload declared as {Probe.UnsupportedAudioType} is refused with 400 invalid_audio_format",
        new("UPL-08"), Scenario.UploadVariants, o =>
        {
            UploadLog.NotForPresigned(o.Run, "the storage provider judges a declared type, and the scribe service validates the format during processing (spec 7.6)");
            var x = Expect.Answered(o.Run, Probe.UnsupportedType);
            if (x.Accepted && o.Options.Profile == "msa-draft")
                throw new NotReached(Verdict.Inconclusive, "accepted at upload; the msa-draft profile also allows a later failed session (CF-19), which this scenario does not follow");
            return Expect.Refused(o.Run, Probe.UnsupportedType, Expect.Status400, "invalid_audio_format");
        });

    public static readonly Check OversizeChunk = new(
        "upload.refused.oversize-413", "A chunk larger than 10 MB is refused with 413 chunk_too_large",
        new("UPL-11"), Scenario.UploadVariants, o =>
            Expect.Refused(o.Run, Probe.Oversize, Expect.Status413, "chunk_too_large"));

    public static readonly Check UnknownSession = new(
        "upload.refused.unknown-session-404", "An upload to a session id that was never created is refused with 404 session_not_found",
        new("UPL-13"), Scenario.UploadVariants, o =>
        {
            UploadLog.NotForPresigned(o.Run, "audio goes to storage, so the scribe API has no upload endpoint for an unknown session to answer from (spec 7.3)");
            return Expect.Refused(o.Run, Probe.UnknownIdUpload, Expect.Status404, "session_not_found");
        });

    public static readonly Check AfterEndRefused = new(
        "upload.refused.after-end", "Once End has succeeded, a further upload to the session is refused",
        new("UPL-14"), Scenario.OutOfOrder, o =>
        {
            UploadLog.NotForPresigned(o.Run, "whether storage takes a PUT after End is the storage provider's answer (spec 7.8), not the scribe API's");
            return Expect.ClientError(o.Run, Probe.UploadAfterEnd, "an upload after End");
        });

    public static readonly Check AfterEndIsSessionEnded = new(
        "upload.refused.after-end-session-ended", "An upload after End, while the session is processing, is refused with 400 session_ended",
        new("UPL-15"), Scenario.OutOfOrder, o =>
        {
            if (o.Options.Profile != "ekascribe")
                throw new NotReached(Verdict.NotApplicable, "session_ended is an EkaScribe code; the msa-draft profile only requires a refusal (UPL-14, CF-23)");
            var x = Expect.Answered(o.Run, Probe.UploadAfterEnd);
            if (x.Accepted)
                throw new NotReached(Verdict.Inconclusive, $"{x.Summary()}: the upload after End was accepted, so there is no refusal whose form this row judges (see UPL-14)");
            if (x.Status == 400 && string.Equals(x.ErrorCode(), "session_completed", StringComparison.OrdinalIgnoreCase))
                throw new NotReached(Verdict.Inconclusive, "the server answered session_completed: processing had already finished when the upload arrived, so the processing state was not observed");
            return Expect.Refused(o.Run, Probe.UploadAfterEnd, Expect.Status400, "session_ended");
        });

    public static readonly Check AfterCompletionRefused = new(
        "upload.refused.after-completion-400", "An upload after processing has finished is refused with 400 (session_completed, or session_ended: both hold)",
        new("UPL-16"), Scenario.Completed, o =>
            Expect.Refused(o.Run, Probe.UploadAfterCompletion, Expect.Status400, null,
                Expect.Answered(o.Run, Probe.UploadAfterCompletion).ErrorCode() is { } code ? $"error.code {code}." : null))
       ;

    public static readonly Check AfterCompletionIsSessionCompleted = new(
        "upload.refused.after-completion-session-completed", "That refusal names session_completed, the code for a session whose processing has finished",
        new("UPL-16", "CF-23", Should), Scenario.Completed, o =>
            Expect.Refused(o.Run, Probe.UploadAfterCompletion, Expect.Status400, "session_completed"))
       ;

    public static IReadOnlyList<Check> All => [UnsupportedType, OversizeChunk, UnknownSession, AfterEndRefused, AfterEndIsSessionEnded, AfterCompletionRefused, AfterCompletionIsSessionCompleted];
}
