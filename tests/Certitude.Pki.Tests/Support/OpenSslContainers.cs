namespace Certitude.Pki.Tests.Support;

/// <summary>Container files written by openssl: PKCS #12, PKCS #7 (PEM and DER), trusted certificates, key + certificate PEM.</summary>
public sealed class OpenSslContainers : IAsyncLifetime
{
    public const string Password = "s3cret pass";

    private readonly TempDirectory _directory = new();

    public byte[] Read(string name)
    {
        return File.ReadAllBytes(_directory.File(name));
    }

    public byte[] Der(string pemName)
    {
        return Pem.ReadSingleDer(_directory.File(pemName));
    }

    public async ValueTask InitializeAsync()
    {
        var password = OpenSsl.Quote("pass:" + Password);
        await OpenSsl.ScriptAsync(_directory.Path, $"""
            printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=unused\n[ca]\nbasicConstraints=critical,CA:TRUE\n' > openssl.cnf
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem -subj '/CN=Container Root' -config openssl.cnf -extensions ca -days 30
            openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr -subj '/CN=leaf.example.com' -config openssl.cnf
            openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -out leaf.pem -days 30 -set_serial 2
            openssl pkcs12 -export -in leaf.pem -inkey leaf.key -certfile root.pem -out bundle.p12 -passout {password}
            openssl pkcs12 -export -in leaf.pem -inkey leaf.key -certfile root.pem -out legacy.p12 -passout {password} -legacy
            openssl pkcs12 -export -in leaf.pem -inkey leaf.key -out empty-password.p12 -passout pass:
            cat leaf.pem root.pem > chain.pem
            openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7b.pem
            openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER -out chain.p7b
            openssl x509 -in root.pem -trustout -addtrust serverAuth -addreject emailProtection -setalias 'My Root' -out trusted.pem
            openssl x509 -in leaf.pem -outform DER -out leaf.der
            cat leaf.key leaf.csr leaf.pem > key-csr-cert.pem
            cat leaf.key > key-only.pem
            openssl pkcs12 -in bundle.p12 -passin {password} -nokeys -out bag-attributes.pem
            """);
    }

    public ValueTask DisposeAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
