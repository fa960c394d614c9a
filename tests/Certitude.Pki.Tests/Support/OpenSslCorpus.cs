using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Certitude.Pki.Tests.Support;

/// <summary>
/// Certificates made by openssl at test time (and a few by .NET), each with openssl's own reading of it. Built once
/// per test class that uses it.
/// </summary>
public sealed class OpenSslCorpus : IAsyncLifetime
{
    /// <summary>Every certificate in the corpus, by file name without ".pem".</summary>
    public static readonly string[] Names =
    [
        "rsa2048-root", "rsa4096-leaf", "ec-p256-negative-serial", "ec-p384-ev", "ec-p521-special-names", "ed25519",
        "ed448", "rsa-pss-salt20", "rsa-pss-key", "many-sans", "v1", "dsa", "rsa-sha224", "ec-sha3-256", "dotnet-rsa16384",
        "dotnet-rsa-pss", "dotnet-odd-names",
    ];

    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, OpenSslView> _views = new(StringComparer.Ordinal);

    internal string Directory => _directory.Path;

    public static TheoryData<string> Cases => new(Names);

    public byte[] Der(string name)
    {
        return Pem.ReadSingleDer(PathOf(name));
    }

    public string PathOf(string name)
    {
        return _directory.File(name + ".pem");
    }

    internal OpenSslView View(string name)
    {
        return _views[name];
    }

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(_directory.File("openssl.cnf"), Config(), TestContext.Current.CancellationToken);
        await Task.WhenAll(
            MakeRootAndIssuedAsync(),
            MakeSelfSignedAsync(),
            MakeMoreSelfSignedAsync(),
            Task.Run(MakeDotnetCertificates));
        foreach (var chunk in Names.Chunk(4))
        {
            var views = await Task.WhenAll(chunk.Select(ReadWithOpenSslAsync));
            for (var i = 0; i < chunk.Length; i++)
            {
                _views[chunk[i]] = views[i];
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>What openssl prints for one certificate: the text form, fingerprints, serial, dates and SPKI hash.</summary>
    internal static async Task<OpenSslView> ReadWithOpenSslAsync(string directory, string path)
    {
        var file = OpenSsl.Quote(path);
        var result = await OpenSsl.ScriptAsync(directory, $"""
            openssl x509 -in {file} -noout -text -nameopt RFC2253 -fingerprint -sha256 -serial -dates -subject -issuer
            openssl x509 -in {file} -noout -fingerprint -sha1
            printf 'spki='; openssl x509 -in {file} -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r
            """);
        return OpenSslView.Parse(result.Text);
    }

    private Task<OpenSslView> ReadWithOpenSslAsync(string name)
    {
        return ReadWithOpenSslAsync(Directory, PathOf(name));
    }

    private Task<ProcessResult> RunAsync(params string[] arguments)
    {
        return OpenSsl.RunAsync(Directory, arguments);
    }

    private async Task MakeRootAndIssuedAsync()
    {
        await RunAsync(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "rsa2048-root.pem",
            "-config", "openssl.cnf", "-extensions", "v3_root", "-utf8",
            "-subj", "/C=DE/O=Zertifizierungsstelle Müller GmbH/OU=PKI/OU=Wurzel/CN=Wurzel-CA Ü",
            "-days", "3650", "-sha256", "-set_serial", "1");
        await Task.WhenAll(
            IssueAsync("rsa4096-leaf", "rsa:4096", "/CN=www.example.com/O=Example Ltd", "v3_leaf", "-sha256", "0x8FEDCBA9876543210123456789ABCDEF01234567"),
            IssueAsync(
                "ec-p384-ev",
                "ec:" + await EcParametersAsync("P-384"),
                "/jurisdictionC=DE/jurisdictionST=Bayern/businessCategory=Private Organization/serialNumber=HRB 12345/C=DE/L=München/O=Beispiel AG/CN=ev.example.com",
                "v3_ev",
                "-sha384",
                "7"));
    }

    private async Task<string> EcParametersAsync(string curve)
    {
        var file = curve + ".params";
        await RunAsync("genpkey", "-genparam", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + curve, "-out", file);
        return file;
    }

    private async Task IssueAsync(string name, string newKey, string subject, string extensions, string digest, string serial)
    {
        await RunAsync("req", "-new", "-newkey", newKey, "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
            "-config", "openssl.cnf", "-utf8", "-subj", subject);
        await RunAsync("x509", "-req", "-in", name + ".csr", "-CA", "rsa2048-root.pem", "-CAkey", "root.key", "-out", name + ".pem",
            "-extfile", "openssl.cnf", "-extensions", extensions, "-days", "90", digest, "-set_serial", serial);
    }

    private Task<ProcessResult> SelfSignAsync(string name, string[] newKey, string subject, string? extensions, params string[] more)
    {
        string[] arguments =
        [
            "req", "-x509", "-newkey", .. newKey, "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
            "-config", "openssl.cnf", "-utf8", "-subj", subject, "-days", "30", .. more,
        ];
        return extensions is null ? RunAsync(arguments) : RunAsync([.. arguments, "-extensions", extensions]);
    }

    private async Task MakeSelfSignedAsync()
    {
        await SelfSignAsync("ec-p256-negative-serial", ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "/CN=no-san", "v3_nosan", "-set_serial", "-0x1234");
        await SelfSignAsync(
            "ec-p521-special-names",
            ["ec", "-pkeyopt", "ec_paramgen_curve:P-521"],
            "/DC=com/DC=example/O=\\#hash\\, =eq/OU=\\ lead+UID=u1/CN=trail\\ /street=Main \"St\"/title=Dr<x>;y/emailAddress=admin@example.com",
            "v3_unknown",
            "-sha512",
            "-multivalue-rdn");
        await SelfSignAsync("ed25519", ["ed25519"], "/CN=Ed25519 Test/O=Example", "v3_ed25519");
        await SelfSignAsync("ed448", ["ed448"], "/CN=Ed448 Test", "v3_nosan");
        await SelfSignAsync("many-sans", ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "/CN=many", "v3_many");
        await SelfSignAsync("v1", ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "/CN=Version One/O=Legacy", null);
        await SelfSignAsync("ec-sha3-256", ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "/CN=SHA-3", "v3_nosan", "-sha3-256");
    }

    private async Task MakeMoreSelfSignedAsync()
    {
        await SelfSignAsync("rsa-pss-salt20", ["rsa:2048"], "/CN=PSS salt 20", "v3_nosan",
            "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:20");
        await SelfSignAsync("rsa-pss-key", ["rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048"], "/CN=RSA-PSS key", "v3_nosan");
        await SelfSignAsync("rsa-sha224", ["rsa:2048"], "/CN=SHA-224", "v3_nosan", "-sha224");
        await RunAsync("genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:2048", "-out", "dsa.params");
        await SelfSignAsync("dsa", ["dsa:dsa.params"], "/CN=DSA Test", "v3_nosan", "-sha256");
    }

    private void MakeDotnetCertificates()
    {
        using var issuerKey = RSA.Create(2048);
        var (issuer, _) = TestCertificates.Authority("CN=Dotnet Issuing CA", issuerKey);
        using (issuer)
        {
            Write("dotnet-rsa16384", TestCertificates.Issue("CN=rsa16384.example.com", TestCertificates.FakeRsaPublicKey(16384), issuer, issuerKey));
        }

        using var pssKey = RSA.Create(2048);
        var pss = new CertificateRequest("CN=Dotnet PSS", pssKey, HashAlgorithmName.SHA384, RSASignaturePadding.Pss);
        using (var certificate = pss.CreateSelfSigned(TestCertificates.NotBefore, TestCertificates.NotAfter))
        {
            Write("dotnet-rsa-pss", certificate.RawData);
        }

        Write("dotnet-odd-names", TestCertificates.SelfSignedEc(TestCertificates.OddName()));
    }

    private void Write(string name, byte[] der)
    {
        File.WriteAllText(PathOf(name), Pem.Certificate(der));
    }

    private static string Config()
    {
        var manySans = new StringBuilder();
        for (var i = 1; i <= 1000; i++)
        {
            manySans.Append("DNS.").Append(i).Append(" = host").Append(i).Append(".example.com\n");
        }

        return $"""
            [req]
            distinguished_name = dn
            prompt = no

            [dn]
            CN = unused

            [v3_root]
            basicConstraints = critical,CA:TRUE,pathlen:1
            keyUsage = critical,keyCertSign,cRLSign
            subjectKeyIdentifier = hash
            certificatePolicies = 2.5.29.32.0

            [v3_leaf]
            basicConstraints = critical,CA:FALSE
            keyUsage = critical,digitalSignature,keyEncipherment
            extendedKeyUsage = serverAuth,clientAuth
            subjectAltName = DNS:www.example.com,DNS:example.com,IP:192.0.2.10,IP:2001:db8::10,email:hostmaster@example.com,URI:https://example.com/service
            certificatePolicies = 2.23.140.1.2.1,1.3.6.1.4.1.44947.1.1.1
            crlDistributionPoints = URI:http://crl.example.com/root.crl,URI:http://crl2.example.com/root.crl
            authorityInfoAccess = OCSP;URI:http://ocsp.example.com,caIssuers;URI:http://ca.example.com/root.crt
            1.3.6.1.5.5.7.1.24 = DER:3003020105
            1.3.6.1.4.1.11129.2.4.2 = DER:{Convert.ToHexString(SctList.ExtensionValue(3))}
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid

            [v3_nosan]
            basicConstraints = critical,CA:FALSE
            keyUsage = digitalSignature

            [v3_ev]
            basicConstraints = CA:FALSE
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:ev.example.com
            certificatePolicies = 2.23.140.1.1,1.3.6.1.4.1.99999.1
            authorityKeyIdentifier = keyid

            [v3_unknown]
            1.2.3.4.5.6.7 = critical,DER:0500
            1.2.3.4.5.6.8 = DER:0500
            certificatePolicies = 2.23.140.1.2.2
            keyUsage = critical,digitalSignature,nonRepudiation,keyAgreement,encipherOnly

            [v3_ed25519]
            subjectAltName = @ed_san
            certificatePolicies = 2.23.140.1.2.3
            extendedKeyUsage = codeSigning,emailProtection,timeStamping,1.3.6.1.4.1.311.10.3.12

            [ed_san]
            DNS.1 = ed.example.com
            IP.1 = 10.0.0.1
            otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:user@example.com
            RID.1 = 1.2.3.4
            dirName.1 = dir_sect

            [dir_sect]
            CN = Directory Entry
            O = Example

            [v3_many]
            subjectAltName = @many_san

            [many_san]
            {manySans}
            """;
    }
}
