namespace Msa.Conformance.Cli;

/// <summary>Hands the effective settings to the suites' process as MSA_ environment variables (never on a command line).</summary>
public static class Settings
{
    public static IEnumerable<(string, string)> ToEnvironment(HarnessOptions o, string reportDir)
    {
        yield return ("MSA_Target", o.Target);
        yield return ("MSA_BaseUrl", o.BaseUrl);
        yield return ("MSA_Token", o.Token);
        yield return ("MSA_SecondKey", o.SecondKey);
        yield return ("MSA_OtherTenantToken", o.OtherTenantToken);
        yield return ("MSA_TokenFile", "");
        yield return ("MSA_SecondKeyFile", "");
        yield return ("MSA_OtherTenantTokenFile", "");
        yield return ("MSA_Auth", o.Auth);
        yield return ("MSA_Profile", o.Profile);
        yield return ("MSA_ReportDir", reportDir);
        yield return ("MSA_Strict", o.Strict.ToString());
        yield return ("MSA_UnknownTemplate", o.UnknownTemplate);
        yield return ("MSA_ExpiredSessionId", o.ExpiredSessionId);
        yield return ("MSA_Model", o.Model);
        yield return ("MSA_ExpectedSessionLifetimeSeconds", o.ExpectedSessionLifetimeSeconds.ToString());
        yield return ("MSA_FullEvidence", o.FullEvidence.ToString());
        yield return ("MSA_Insecure", o.Insecure.ToString());
        yield return ("MSA_Burst", o.Burst.ToString());
        yield return ("MSA_StreamSpeed", o.StreamSpeed.ToString());
        yield return ("MSA_CaCert", o.CaCert.Length > 0 ? Path.GetFullPath(o.CaCert) : "");
        yield return ("MSA_OpenSsl", o.OpenSsl.Contains('/') ? Path.GetFullPath(o.OpenSsl) : o.OpenSsl);
        for (var i = 0; i < o.Templates.Length; i++) yield return ($"MSA_Templates__{i}", o.Templates[i]);
        yield return ("MSA_Polling__IntervalMs", o.Polling.IntervalMs.ToString());
        yield return ("MSA_Polling__DeadlineSeconds", o.Polling.DeadlineSeconds.ToString());
        yield return ("MSA_Polling__StabilityGets", o.Polling.StabilityGets.ToString());
        yield return ("MSA_Http__TimeoutSeconds", o.Http.TimeoutSeconds.ToString());
        yield return ("MSA_Http__MaxBodyBytes", o.Http.MaxBodyBytes.ToString());
        yield return ("MSA_Webhooks__PublicUrl", o.Webhooks.PublicUrl);
        yield return ("MSA_Webhooks__ListenAddress", o.Webhooks.ListenAddress);
        yield return ("MSA_Webhooks__ListenPort", o.Webhooks.ListenPort.ToString());
        yield return ("MSA_Webhooks__PreflightSeconds", o.Webhooks.PreflightSeconds.ToString());
        yield return ("MSA_Webhooks__DeliverySeconds", o.Webhooks.DeliverySeconds.ToString());
        yield return ("MSA_Webhooks__Https", o.Webhooks.Https.ToString());
        yield return ("MSA_Webhooks__Certificate", o.Webhooks.Certificate.Length > 0 ? Path.GetFullPath(o.Webhooks.Certificate) : "");
    }
}

/// <summary>Turns bare flags (--strict) into key=value switches the configuration reader understands.</summary>
public static class Flags
{
    /// <summary>The word after `name` in the arguments (the commands read before settings load: --verify, --rejudge); null when absent.</summary>
    public static string? ValueOf(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static readonly Dictionary<string, string> Bare = new()
    {
        ["--strict"] = "--Strict=true",
        ["--full-evidence"] = "--FullEvidence=true",
        ["--insecure"] = "--Insecure=true",
        ["--webhook-https"] = "--Webhooks:Https=true",
    };

    public static string[] Normalise(string[] args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (Bare.TryGetValue(args[i], out var replaced)) { result.Add(replaced); continue; }
            if (args[i] is "--token" or "--Token" || args[i].StartsWith("--token=", StringComparison.OrdinalIgnoreCase))
                throw new ConfigurationError("the credential is never taken from the command line: set MSA_TOKEN or use --token-file FILE");
            if (args[i].StartsWith("--", StringComparison.Ordinal) && !args[i].Contains('=')
                && !HarnessOptions.SwitchMappings.ContainsKey(args[i]))
                throw new ConfigurationError($"unknown option {args[i]}");
            if (args[i].StartsWith("--", StringComparison.Ordinal) && !args[i].Contains('=') && i + 1 >= args.Length)
                throw new ConfigurationError($"{args[i]} needs a value");
            result.Add(args[i]);
        }
        return result.ToArray();
    }
}

public static class Help
{
    public const string Text = """
        Usage: ./run.sh [--target URL] [options]

        With no --target, every suite runs against the embedded reference server (a conforming server shipped
        with the harness). With --target, URL is the service root: discovery is URL/.well-known/medscribealliance
        and the API base is discovery's endpoints.base_url unless --base-url overrides it.

        Options (each also settable in appsettings.json or as an MSA_ environment variable; command line wins):
          --target URL            service root of the server under test              MSA_Target
          --base-url URL          API base, overriding discovery's endpoints.base_url MSA_BaseUrl
          --token-file FILE       file holding the credential                        MSA_TokenFile
                                  (or the credential itself in MSA_TOKEN; never on the command line)
          --second-token-file FILE a second key of the same client (AUTH-12)        MSA_SecondKeyFile
          --other-tenant-token-file FILE  a key of another client, another tenant   MSA_OtherTenantTokenFile
                                  (ISO-04, ISO-10, ISO-11: it must see none of this client's sessions or webhooks)
          --auth bearer|x-api-key header that carries the credential                MSA_Auth
                                  (default: the profile's, bearer for ekascribe, x-api-key for msa-draft)
          --profile NAME          ekascribe (default) or msa-draft                   MSA_Profile
                                  msa-draft: templates as a map, X-API-Key, discovery at the host root
                                  (URL/.well-known/medscribealliance is tried next, with a note)
          --report-dir DIR        where reports go (default reports/)                MSA_ReportDir
          --poll-deadline SECONDS wait for a terminal state or expiry (default 300)  MSA_Polling__DeadlineSeconds
          --poll-interval-ms MS   polling cadence (default 1000, as the seed asks)    MSA_Polling__IntervalMs
          --request-timeout SEC   timeout of each request (default 30)                MSA_Http__TimeoutSeconds
          --templates ID,ID       the template ids every Create names (replaces the default) MSA_Templates
          --sign-key FILE         sign evidence-manifest.txt with this PEM ECDSA P-256 key        MSA_SignKey
          --verify DIR --public-key FILE   check a report directory against its signed manifest (exit 1 names what changed)
          --rejudge DIR           judge DIR/observations.json again, offline, with this harness's checks; reports go
                                  to --report-dir (default DIR-rejudged); --strict and --sign-key apply
          --unknown-template ID   a template id the server does not know (206 scenario) MSA_UnknownTemplate
          --expired-session-id ID an already expired session: no wait for expiry    MSA_ExpiredSessionId
          --model ID              model to request at Create (default: server's)      MSA_Model
          --expected-session-lifetime SECONDS
                                  expected expires_at - created_at (default 3600)   MSA_ExpectedSessionLifetimeSeconds
          --webhook-public-url URL public URL the server delivers webhooks to, when it  MSA_Webhooks__PublicUrl
                                  cannot reach this machine (a tunnel to the receiver)
          --webhook-listen IP     interface of the webhook receiver (default 127.0.0.1) MSA_Webhooks__ListenAddress
          --webhook-port N        port of the webhook receiver (default 0 = free port)  MSA_Webhooks__ListenPort
          --webhook-wait SECONDS  wait for missing webhook events (default 60)        MSA_Webhooks__DeliverySeconds
          --webhook-https         receiver on https, plus a plain-http listener for   MSA_Webhooks__Https
                                  WH-REG-03/WH-DEL-15 (self-made certificate)
          --webhook-cert FILE     PEM certificate and key the server trusts, for the  MSA_Webhooks__Certificate
                                  https receiver (implies --webhook-https)
          --strict                inconclusive results fail the run                   MSA_Strict
          --full-evidence         show transcripts and template data unmasked         MSA_FullEvidence
          --insecure              accept any TLS certificate (stated in every report)  MSA_Insecure
          --ca-cert FILE          also trust the CA certificates of this PEM file      MSA_CaCert
          --openssl FILE          the openssl command for the TLS 1.0/1.1 probe        MSA_OpenSsl
                                  (SEC-05; default: openssl on PATH)
          --repeat N              run the suites N times; report verdicts that changed MSA_Repeat
          --stream-speed N        stream uploads send audio N times real time (1-20,    MSA_StreamSpeed
                                  default 4; 1 = like a live microphone)
          --burst N               opt-in: after every scenario, N GETs (8 at a time) of  MSA_Burst
                                  the completed session to see the rate limit (10-2000; never sent unless asked)
          --help                  this text
        Template ids the server knows: MSA_Templates__0, MSA_Templates__1 (default eka_emr_template, clinical_notes_template).

        Exit codes: 0 no MUST-level check failed; 1 a MUST-level check failed (or, with --strict, a result was
        inconclusive); 2 the harness could not run (bad configuration, target unreachable, harness error).
        Reports: REPORT_DIR/allure-report/index.html (single file), junit.xml, summary.json, capabilities.json
        (each feature discovery declares vs what the run observed of it).
        """;
}
