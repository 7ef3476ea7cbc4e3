namespace Msa.Conformance.Scenarios;

/// <summary>The keys of <see cref="ScenarioRun.Probes"/> that the driver writes and the checks read.</summary>
public static class ProbeNames
{
    // Discovery scenario.
    /// <summary>The discovery answer the run uses (as found by Target.ConnectAsync).</summary>
    public const string Discovery = "discovery";
    public const string DiscoveryWithoutCredential = "discovery without credential";
    public const string DiscoveryBelowBaseUrl = "discovery below base_url";
    public const string DiscoveryAtHostRoot = "discovery at host root";

    // CreateSession scenario (the plain Create is ScenarioRun.Create).
    public const string ClientIdCreate = "create with client session_id";
    public const string ClientIdRead = "read by client session_id";
    public static string UploadMethodCreate(string method) => $"create upload_type={method}";
    public static string BadBody(string slug) => $"bad body: {slug}";
    /// <summary>ADD-13: a Create with "additional_data": null, and (when accepted) a GET of that session; named apart so no other row reads them.</summary>
    public const string NullAdditionalDataCreate = "null additional_data: create";
    public const string NullAdditionalDataRead = "null additional_data: read";
    /// <summary>EXP-02 (msa-draft): one Create naming each discovery model, whose lifetime is that model's.</summary>
    public static string ModelCreate(string model) => $"create model={model}";

    /// <summary>Requests that carry a defect on purpose (a bad body, an unsupported version): their refusal says nothing about the features they use.</summary>
    public static bool IsDeliberatelyInvalid(string step) =>
        step.StartsWith(BadBody(""), StringComparison.Ordinal) || step == VersionedCreate(ScenarioDriver.UnsupportedVersion);

    // UnknownSession scenario: odd-looking ids (GET-PAIR-20; End and Upload of them feed ERR-01). Not named "get …", so
    // no rule about session answers reads them.
    public static readonly IReadOnlyDictionary<string, string> OddIds = new Dictionary<string, string>
    {
        ["short"] = "abc",
        ["long"] = new('x', 200),
        ["encoded-slash"] = "ses_abc%2Fdef",
        ["punctuation"] = "ses_abc-def_123",
    };
    public static string OddIdRequest(string kind, string endpoint) => $"odd id ({kind}): {endpoint}";
    public const string UnknownRoute = "unknown route: GET {base_url}/msa-conformance-no-such-route";
    public const string WrongMethod = "wrong method: DELETE {base_url}/sessions";

    // TemplatesCatalogue scenario.
    public const string TemplatesCatalogue = "templates catalogue";
    public const string TemplatesCatalogueWithoutCredential = "templates catalogue without credential";
    public static string CatalogueCreate(IEnumerable<string> templates) => $"create with catalogue templates {string.Join(", ", templates)}";

    // Versioning scenario: the same Create and GET without the header and with each value.
    public static string VersionedCreate(string? version) => version is null ? "create without MSA-Version" : $"create with MSA-Version: {version}";
    public static string VersionedRead(string? version) => version is null ? "read without MSA-Version" : $"read with MSA-Version: {version}";
}
