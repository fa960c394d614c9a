using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests.Issuance;

/// <summary>
/// Certificate signing requests made by <c>openssl req -new</c> at test time, each with openssl's own reading of it, plus
/// a DER copy, a self-signed certificate and a DSA request for the refusal tests. Built once per test class that uses it.
/// </summary>
public sealed class OpenSslSigningRequests : IAsyncLifetime
{
    /// <summary>The names every request but "cn-only" and the SHA-1 ones asks for.</summary>
    public const string MixedNames = "DNS:a.example.com,IP:127.0.0.1,email:x@example.com";

    private const string Subject = "/C=DE/O=Example GmbH/CN=www.example.com";

    // name, key and signing options, subjectAltName (null for none).
    private static readonly (string Name, string Options, string? Names)[] Requests =
    [
        ("rsa2048", "-newkey rsa:2048", MixedNames),
        ("rsa1024", "-newkey rsa:1024", MixedNames),
        ("ec-p256", "-newkey ec -pkeyopt ec_paramgen_curve:P-256", MixedNames),
        ("ec-p384", "-newkey ec -pkeyopt ec_paramgen_curve:P-384 -sha384", MixedNames),
        ("ec-p521", "-newkey ec -pkeyopt ec_paramgen_curve:P-521 -sha512", MixedNames),
        ("ed25519", "-newkey ed25519", MixedNames),
        ("rsa-sha1", "-newkey rsa:2048 -sha1", "DNS:www.example.com,DNS:a.example.com"),
        ("ec-sha1", "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha1", "DNS:www.example.com"),
        ("rsa-pss", "-newkey rsa:2048 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest", MixedNames),
        ("rsa-pss-max-salt", "-newkey rsa:2048 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:max", MixedNames),
        ("cn-only", "-newkey ec -pkeyopt ec_paramgen_curve:P-256", null),
        ("new-header", "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -newhdr", MixedNames),
    ];

    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, OpenSslRequestView> _views = new(StringComparer.Ordinal);

    public static TheoryData<string> Cases => new(Requests.Select(r => r.Name));

    internal string Directory => _directory.Path;

    /// <summary>The request as openssl wrote it (PEM).</summary>
    public byte[] Pem(string name)
    {
        return File.ReadAllBytes(_directory.File(name + ".csr"));
    }

    /// <summary>The rsa2048 request converted by <c>openssl req -outform DER</c>.</summary>
    public byte[] Rsa2048Der()
    {
        return File.ReadAllBytes(_directory.File("rsa2048.der"));
    }

    /// <summary>A self-signed certificate made by <c>openssl req -x509</c>, as PEM.</summary>
    public byte[] CertificatePem()
    {
        return File.ReadAllBytes(_directory.File("certificate.pem"));
    }

    /// <summary>A request with a DSA key.</summary>
    public byte[] DsaPem()
    {
        return File.ReadAllBytes(_directory.File("dsa.csr"));
    }

    /// <summary>The subject public key of a request as <c>openssl req -pubkey</c> prints it, DER.</summary>
    public byte[] PublicKeyDer(string name)
    {
        return Support.Pem.ReadSingleDer(_directory.File(name + ".pub"));
    }

    internal OpenSslRequestView View(string name)
    {
        return _views[name];
    }

    public async ValueTask InitializeAsync()
    {
        // Two at a time: key generation is CPU-bound and the machine may be busy.
        foreach (var chunk in Requests.Chunk(2))
        {
            await Task.WhenAll(chunk.Select(MakeAsync));
        }

        await OpenSsl.ScriptAsync(Directory, """
            openssl req -in rsa2048.csr -outform DER -out rsa2048.der
            openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout certificate.key -subj '/CN=www.example.com' -days 30 -out certificate.pem
            openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out dsa.param
            openssl req -new -newkey dsa:dsa.param -nodes -keyout dsa.key -subj '/CN=dsa.example.com' -out dsa.csr
            """);
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task MakeAsync((string Name, string Options, string? Names) request)
    {
        var (name, options, names) = request;
        var addext = names is null ? "" : "-addext " + OpenSsl.Quote("subjectAltName=" + names);
        var subject = name == "cn-only" ? "/CN=only.example.com" : Subject;
        var result = await OpenSsl.ScriptAsync(Directory, $"""
            openssl req -new {options} -nodes -keyout {name}.key -subj {OpenSsl.Quote(subject)} {addext} -out {name}.csr 2>/dev/null
            openssl req -in {name}.csr -verify -noout 2>&1 | grep -q 'self-signature verify OK'
            openssl req -in {name}.csr -pubkey -noout > {name}.pub
            openssl req -in {name}.csr -noout -text -subject -nameopt RFC2253
            """);
        lock (_views)
        {
            _views[name] = OpenSslRequestView.Parse(result.Text);
        }
    }
}
