using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Certitude.Pki.Issuance;
using Certitude.Pki.Signing;
using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests.Signing;

/// <summary>
/// <see cref="SigningKey"/> against openssl: keys openssl generates in every format it writes (PKCS #8, SEC 1, PKCS #1,
/// encrypted PKCS #8) are imported, and keys exported here are read back by openssl.
/// </summary>
public sealed class SigningKeyTests
{
    private const string Password = "correct horse battery staple";

    public static TheoryData<SigningKeyType> KeyTypes => new(Enum.GetValues<SigningKeyType>());

    [Theory]
    [InlineData(SigningKeyType.EcP256, "EC", 256, "P-256", "SHA256")]
    [InlineData(SigningKeyType.EcP384, "EC", 384, "P-384", "SHA384")]
    [InlineData(SigningKeyType.Rsa2048, "RSA", 2048, null, "SHA256")]
    [InlineData(SigningKeyType.Rsa3072, "RSA", 3072, null, "SHA256")]
    [InlineData(SigningKeyType.Ed25519, "Ed25519", 255, null, "SHA512")]
    public void Generate_EachType_DescribesItself(SigningKeyType type, string algorithm, int size, string? curve, string hash)
    {
        using var key = SigningKey.Generate(type);

        Assert.Equal(type, key.Type);
        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(size, key.Size);
        Assert.Equal(curve, key.Curve);
        Assert.Equal(hash, key.HashAlgorithm.Name);
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public async Task ExportPkcs8_EachType_ImportsBackAndOpenSslReadsIt(SigningKeyType type)
    {
        using var key = SigningKey.Generate(type);
        var pkcs8 = key.ExportPkcs8();
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("key.der"), pkcs8);

        using var imported = SigningKey.ImportPkcs8(pkcs8);
        var openSslPublic = await OpenSsl.RunAsync(directory.Path, "pkey", "-inform", "DER", "-in", "key.der", "-pubout", "-outform", "DER");

        Assert.Equal(type, imported.Type);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), imported.ExportSubjectPublicKeyInfo());
        Assert.Equal(pkcs8, imported.ExportPkcs8());
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), openSslPublic.Output);
    }

    [Theory]
    [InlineData("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072", SigningKeyType.Rsa3072, "RSA", 3072, null)]
    [InlineData("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2304", null, "RSA", 2304, null)]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256", SigningKeyType.EcP256, "EC", 256, "P-256")]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384", SigningKeyType.EcP384, "EC", 384, "P-384")]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521", null, "EC", 521, "P-521")]
    [InlineData("openssl genpkey -algorithm ED25519", SigningKeyType.Ed25519, "Ed25519", 255, null)]
    [InlineData("openssl ecparam -name prime256v1 -genkey", SigningKeyType.EcP256, "EC", 256, "P-256")]
    [InlineData("openssl ecparam -name secp384r1 -genkey -noout", SigningKeyType.EcP384, "EC", 384, "P-384")]
    [InlineData("openssl genrsa -traditional 2048", SigningKeyType.Rsa2048, "RSA", 2048, null)]
    public async Task ImportPem_OpenSslKey_MatchesOpenSslPublicKey(string command, SigningKeyType? type, string algorithm, int size, string? curve)
    {
        using var directory = new TempDirectory();
        var pem = (await OpenSsl.ScriptAsync(directory.Path, $"{command} | tee key.pem")).Text;

        using var key = SigningKey.ImportPem(pem, password: null);

        Assert.Equal(type, key.Type);
        Assert.Equal(algorithm, key.Algorithm);
        Assert.Equal(size, key.Size);
        Assert.Equal(curve, key.Curve);
        Assert.Equal(await OpenSslPublicKeyAsync(directory, "key.pem"), key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task ImportPem_OpenSslSec1AndPkcs1_HaveTheirOwnLabels()
    {
        // Guards the cases above: ecparam writes EC PARAMETERS before a SEC 1 key, and genrsa -traditional writes PKCS #1.
        using var directory = new TempDirectory();
        var sec1 = (await OpenSsl.ScriptAsync(directory.Path, "openssl ecparam -name prime256v1 -genkey")).Text;
        var pkcs1 = (await OpenSsl.ScriptAsync(directory.Path, "openssl genrsa -traditional 2048")).Text;

        Assert.StartsWith("-----BEGIN EC PARAMETERS-----", sec1, StringComparison.Ordinal);
        Assert.Contains("-----BEGIN EC PRIVATE KEY-----", sec1, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", pkcs1, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048", SigningKeyType.Rsa2048)]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384", SigningKeyType.EcP384)]
    [InlineData("openssl genpkey -algorithm ED25519", SigningKeyType.Ed25519)]
    public async Task ImportPem_EncryptedPkcs8WithPassword_Imports(string command, SigningKeyType type)
    {
        using var directory = new TempDirectory();
        var pem = await EncryptedAsync(directory, command);

        using var key = SigningKey.ImportPem(pem, Password);

        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", pem, StringComparison.Ordinal);
        Assert.Equal(type, key.Type);
        Assert.Equal(await OpenSslPublicKeyAsync(directory, "plain.pem"), key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task ImportPem_EncryptedPkcs8WrongPassword_ThrowsSayingSo()
    {
        using var directory = new TempDirectory();
        var pem = await EncryptedAsync(directory, "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256");

        var error = Assert.Throws<CryptographicException>(() => SigningKey.ImportPem(pem, "wrong password"));

        Assert.Contains("password is wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPem_EncryptedPkcs8WithoutPassword_ThrowsArgumentException()
    {
        using var directory = new TempDirectory();
        var pem = await EncryptedAsync(directory, "openssl genpkey -algorithm ED25519");

        var error = Assert.Throws<ArgumentException>(() => SigningKey.ImportPem(pem, null));

        Assert.Equal("password", error.ParamName);
        Assert.Contains("password is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPem_LegacyEncryptedPem_ThrowsWithConversionHint()
    {
        using var directory = new TempDirectory();
        var pem = (await OpenSsl.ScriptAsync(
            directory.Path, $"openssl genrsa -traditional -aes256 -passout pass:{OpenSsl.Quote(Password)} 2048")).Text;

        var error = Assert.Throws<ArgumentException>(() => SigningKey.ImportPem(pem, Password));

        Assert.Contains("Proc-Type: 4,ENCRYPTED", pem, StringComparison.Ordinal);
        Assert.Contains("openssl pkcs8 -topk8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openssl genpkey -algorithm ED448", "Ed448")]
    [InlineData("openssl genpkey -algorithm X25519", "X25519")]
    [InlineData("openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048", "RSASSA-PSS")]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1", "1.3.132.0.10")]
    [InlineData("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:explicit", "explicit")]
    [InlineData("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024", "1024 bits")]
    public async Task ImportPem_UnsupportedKey_ThrowsNamingIt(string command, string expected)
    {
        using var directory = new TempDirectory();
        var pem = (await OpenSsl.ScriptAsync(directory.Path, command)).Text;

        var error = Assert.Throws<CryptographicException>(() => SigningKey.ImportPem(pem, null));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportPem_NoPrivateKey_ThrowsArgumentException()
    {
        using var key = SigningKey.Generate(SigningKeyType.EcP256);
        var publicOnly = PemEncoding.WriteString("PUBLIC KEY", key.ExportSubjectPublicKeyInfo());

        var error = Assert.Throws<ArgumentException>(() => SigningKey.ImportPem(publicOnly, null));

        Assert.Contains("No private key found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportPkcs8_Garbage_ThrowsCryptographicException()
    {
        Assert.Throws<CryptographicException>(() => SigningKey.ImportPkcs8([0x30, 0x03, 0x02, 0x01, 0x00]));
        Assert.Throws<CryptographicException>(() => SigningKey.ImportPkcs8([1, 2, 3]));
    }

    [Fact]
    public async Task CreateSignatureGenerator_ImportedP521_SignsWithSha512()
    {
        using var directory = new TempDirectory();
        var pem = (await OpenSsl.ScriptAsync(directory.Path, "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521")).Text;
        using var key = SigningKey.ImportPem(pem, null);
        var now = DateTimeOffset.UtcNow;
        using var root = CertificateBuilder.CreateSelfSigned(
            new CertificateTemplate
            {
                Subject = new X500DistinguishedName("CN=P-521 Root"),
                NotBefore = now,
                NotAfter = now.AddDays(1),
                SerialNumber = CertificateBuilder.NewSerialNumber(),
                KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
                IsCertificateAuthority = true,
            },
            key);
        File.WriteAllText(directory.File("root.pem"), Pem.Certificate(root.RawData));

        var view = await OpenSslViews.OfAsync(root);
        var verify = await OpenSsl.RunAsync(directory.Path, "verify", "-x509_strict", "-CAfile", "root.pem", "root.pem");

        Assert.Equal("ecdsa-with-SHA512", view.SignatureAlgorithm);
        Assert.Equal("root.pem: OK", verify.Text.Trim());
    }

    [Fact]
    public void PublicKey_Ed25519_IsTheRfc8410SubjectPublicKeyInfo()
    {
        using var key = SigningKey.Generate(SigningKeyType.Ed25519);

        var publicKey = key.PublicKey;

        Assert.Equal("1.3.101.112", publicKey.Oid.Value);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), publicKey.ExportSubjectPublicKeyInfo());
        // SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (33 octets) }: 44 octets, parameters absent (RFC 8410 §4).
        Assert.Equal("302a300506032b6570032100", Convert.ToHexStringLower(key.ExportSubjectPublicKeyInfo().AsSpan(0, 12)));
        Assert.Equal(44, key.ExportSubjectPublicKeyInfo().Length);
    }

    [Fact]
    public void Matches_AfterAMatch_StillTellsCertificatesApart()
    {
        // Matches remembers the certificate that matched last; every other certificate is still parsed and compared.
        using var key = SigningKey.Generate(SigningKeyType.EcP256);
        using var other = SigningKey.Generate(SigningKeyType.EcP256);
        using var first = SelfSigned(key, "CN=First");
        using var second = SelfSigned(key, "CN=Second");
        using var foreign = SelfSigned(other, "CN=First");

        Assert.True(key.Matches(first));
        Assert.True(key.Matches(first));
        Assert.False(key.Matches(foreign));
        Assert.True(key.Matches(second));
        Assert.True(key.Matches(first));
        Assert.False(other.Matches(first));
        Assert.True(other.Matches(foreign));
        Assert.False(key.Matches(foreign));
    }

    [Fact]
    public void Dispose_ThenUse_ThrowsObjectDisposedException()
    {
        var key = SigningKey.Generate(SigningKeyType.Ed25519);
        var generator = key.CreateSignatureGenerator();
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(key.ExportPkcs8);
        Assert.Throws<ObjectDisposedException>(key.CreateSignatureGenerator);
        Assert.Throws<ObjectDisposedException>(() => generator.SignData([1, 2, 3], HashAlgorithmName.SHA512));
    }

    private static X509Certificate2 SelfSigned(SigningKey key, string subject) => CertificateBuilder.CreateSelfSigned(new CertificateTemplate
    {
        Subject = new X500DistinguishedName(subject),
        NotBefore = DateTimeOffset.UtcNow.AddMinutes(-1),
        NotAfter = DateTimeOffset.UtcNow.AddDays(1),
        SerialNumber = CertificateBuilder.NewSerialNumber(),
        IsCertificateAuthority = true,
        KeyUsage = X509KeyUsageFlags.KeyCertSign,
    }, key);

    private static async Task<string> EncryptedAsync(TempDirectory directory, string command)
    {
        return (await OpenSsl.ScriptAsync(directory.Path, $"""
            {command} > plain.pem
            openssl pkcs8 -topk8 -v2 aes-256-cbc -in plain.pem -passout pass:{OpenSsl.Quote(Password)}
            """)).Text;
    }

    private static async Task<byte[]> OpenSslPublicKeyAsync(TempDirectory directory, string file)
    {
        return (await OpenSsl.RunAsync(directory.Path, "pkey", "-in", file, "-pubout", "-outform", "DER")).Output;
    }
}
