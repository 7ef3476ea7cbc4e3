namespace Msa.ReferenceServer.Http;

/// <summary>The stream upload's defects (CRE-32, UPL-WS-01…05, UPL-29).</summary>
internal sealed partial class FaultInjector
{
    public string StreamUploadUrl(string streamUrl, string httpUrl) => On(Fault.StreamUploadUrlHttp) ? httpUrl : streamUrl;
    public bool StreamCreateRefused => On(Fault.StreamCreateRefused);
    public bool StreamRefusesConnection => On(Fault.StreamRefusesConnection);

    public bool PresignedPutRefused => On(Fault.PresignedPutRefused);
    public bool StreamRefusesBinaryFrames => On(Fault.StreamRefusesBinaryFrames);
    public bool StreamRefusesJsonFrames => On(Fault.StreamRefusesJsonFrames);
    public bool StreamRefusesOtherSampleRates => On(Fault.StreamRefusesOtherSampleRates);
    public bool StreamCloseStartsProcessing => On(Fault.StreamCloseStartsProcessing);
    public bool StreamAudioLost => On(Fault.StreamAudioLost);
    public bool StreamSessionAcceptsChunks => On(Fault.StreamSessionAcceptsChunks);
}
