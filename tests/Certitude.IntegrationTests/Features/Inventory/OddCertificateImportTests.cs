using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Certitude.Features.Inventory;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Features.Inventory;

/// <summary>Certificates that are odd but legal import through the API and read back correctly, on both databases.</summary>
public abstract class OddCertificateImportTests(ServerFixture fixture)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_OddButLegalCertificates_StoresAndShowsEveryFact()
    {
        var root = CertificateFactory.CreateRoot("Odd Root " + Guid.NewGuid().ToString("N")[..8], DateTimeOffset.UtcNow.AddDays(-10));
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecKey = new CertificateRequest("CN=x", ec, HashAlgorithmName.SHA256).PublicKey;
        var marker = Guid.NewGuid().ToString("N")[..8];

        var noSan = CertificateFactory.Issue(root, new X500DistinguishedName($"CN=nosan-{marker}"), ecKey, [0x11, 0x22]);
        var manySans = CertificateFactory.Issue(root, new X500DistinguishedName($"CN=many-{marker}"), ecKey, [0x33], request =>
        {
            var sans = new SubjectAlternativeNameBuilder();
            for (var i = 0; i < 1000; i++)
            {
                sans.AddDnsName($"host{i}.many-{marker}.example");
            }

            request.CertificateExtensions.Add(sans.Build());
        });
        var utf8 = CertificateFactory.Issue(root, new X500DistinguishedName($"CN=Bücher-Straße 東京 {marker}, O=Société Générale"), ecKey, [0x44]);
        var rsa16384 = CertificateFactory.Issue(root, new X500DistinguishedName($"CN=rsa16384-{marker}"), CertificateFactory.FakeRsaPublicKey(16384), [0x55]);
        var unknownCritical = CertificateFactory.Issue(root, new X500DistinguishedName($"CN=critical-{marker}"), ecKey, [0x66], request =>
            request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], critical: true)));
        // .NET always writes serials as unsigned; openssl makes the negative one (RFC 5280 forbids it, CAs did it anyway).
        var negative = await OpenSslSelfSignedAsync($"negative-{marker}", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-set_serial", "-0x1234");
        var ed25519 = await OpenSslSelfSignedAsync($"ed25519-{marker}", "ed25519");

        using var client = fixture.Server.CreateClient();
        using var form = new MultipartFormDataContent();
        foreach (var (name, der) in new[]
        {
            ("nosan.der", noSan.RawData), ("negative.der", negative), ("many.der", manySans.RawData), ("utf8.der", utf8.RawData),
            ("rsa16384.der", rsa16384.RawData), ("critical.der", unknownCritical.RawData), ("ed25519.der", ed25519),
        })
        {
            var part = new ByteArrayContent(der);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "files", name);
        }

        var response = await client.PostAsync("/api/v1/certificates/import", form, Cancel);
        var result = await response.Content.ReadFromJsonAsync<ImportResponse>(Json, Cancel);
        Assert.All(result!.Files, f => Assert.Null(f.Error));

        async Task<CertificateDetails> Details(string file) =>
            (await client.GetFromJsonAsync<CertificateDetails>($"/api/v1/certificates/{result.Files.Single(f => f.Name == file).Certificates[0].Id}", Json, Cancel))!;

        Assert.Empty((await Details("nosan.der")).SubjectAlternativeNames);
        // Two's complement of -0x1234, the bytes in the certificate (openssl -serial prints "-1234").
        Assert.Equal("edcc", (await Details("negative.der")).Summary.SerialNumber);
        var many = await Details("many.der");
        Assert.Equal(1000, many.SubjectAlternativeNames.Count);
        Assert.Equal($"DNS:host999.many-{marker}.example", many.SubjectAlternativeNames[^1]);
        var found = await client.GetFromJsonAsync<CertificatePage>($"/api/v1/certificates?text=host512.many-{marker}", Json, Cancel);
        Assert.Equal(many.Summary.Id, Assert.Single(found!.Items).Id);
        var unicode = await Details("utf8.der");
        Assert.Equal($"Bücher-Straße 東京 {marker}", unicode.Summary.CommonName);
        Assert.Equal("Société Générale", unicode.SubjectOrganization);
        var big = await Details("rsa16384.der");
        Assert.Equal(("RSA", 16384), (big.Summary.KeyAlgorithm, big.Summary.KeySize));
        Assert.Equal(["1.3.6.1.4.1.99999.1"], (await Details("critical.der")).UnknownCriticalExtensions);
        var ed = await Details("ed25519.der");
        Assert.Equal("Ed25519", ed.Summary.KeyAlgorithm);
        Assert.True(ed.Summary.IsSelfSigned);
    }

    private static async Task<byte[]> OpenSslSelfSignedAsync(string commonName, string keyType, params string[] extra)
    {
        var folder = Directory.CreateTempSubdirectory("certitude-openssl-").FullName;
        try
        {
            await ExternalProcess.RunAsync("openssl", ["req", "-x509", "-newkey", keyType, .. extra, "-nodes", "-keyout", "key.pem", "-out", "cert.der",
                "-outform", "DER", "-subj", $"/CN={commonName}", "-days", "30"], folder);
            return await File.ReadAllBytesAsync(Path.Combine(folder, "cert.der"), Cancel);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class SqliteOddCertificateImportTests(SqliteServerFixture fixture) : OddCertificateImportTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlOddCertificateImportTests(PostgreSqlServerFixture fixture) : OddCertificateImportTests(fixture), IClassFixture<PostgreSqlServerFixture>;
