using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Certitude.Features.Audit;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Features.Inventory;

/// <summary>
/// The importer's bookkeeping through its bulk writers, on both databases: de-duplication within and across
/// batches, restoring deleted certificates, sources, chain links in whatever order issuers arrive (verified by
/// signature), and a batch that fails to store retried file by file.
/// </summary>
public abstract class CertificateImporterTests(ServerFixture fixture)
{
    private static readonly AccessScope Everything = AccessScope.Unrestricted(Actor.System);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private CertificateImporter Importer => fixture.Server.Services.GetRequiredService<CertificateImporter>();
    private InventoryService Inventory => fixture.Server.Services.GetRequiredService<InventoryService>();

    [Fact]
    public async Task Import_SameFileTwiceInOneBatch_StoresOneCertificateNewOnce()
    {
        var leaf = CertificateFactory.CreateLeaf(null, $"twice-{Marker()}.example");
        var pem = Pem(leaf);

        var (summary, files) = await ImportAsync(("twice.pem", pem), ("twice.pem", pem), ("copy.pem", pem));

        Assert.Equal((3, 0, 3, 1), (summary.Files, summary.FailedFiles, summary.Certificates, summary.NewCertificates));
        Assert.Equal([true, false, false], files.Select(f => Assert.Single(f.Certificates).New));
        Assert.Single(files.Select(f => f.Certificates[0].Id).Distinct());
        var details = await DetailsAsync(files[0]);
        Assert.Equal(["/import/copy.pem", "/import/twice.pem"], details.Sources.Select(s => s.Location).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Import_SameCertificateInTwoBatchesOfOneImport_IsNewOnce()
    {
        var leaf = CertificateFactory.CreateLeaf(null, $"two-batches-{Marker()}.example");

        var (summary, files) = await ImportAsync([("first.pem", Pem(leaf)), .. BatchFiller(), ("second.pem", Pem(leaf))]);

        Assert.Equal(0, summary.FailedFiles);
        var first = Assert.Single(files[0].Certificates);
        var second = Assert.Single(files[^1].Certificates);
        Assert.True(first.New);
        Assert.False(second.New);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, (await DetailsAsync(files[0])).Sources.Count);
    }

    [Fact]
    public async Task Import_SoftDeletedCertificate_ComesBackWithItsHistory()
    {
        var leaf = CertificateFactory.CreateLeaf(null, $"deleted-{Marker()}.example");
        var (_, files) = await ImportAsync(("deleted.pem", Pem(leaf)));
        var id = files[0].Certificates[0].Id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Inventory.UpdateAsync(Everything, id, new CertificateUpdate { Owner = "carol@example.com" }, Cancel);
        var firstSeen = (await Inventory.GetAsync(Everything, id, Cancel)).Sources.Single().FirstSeenAt;
        await Inventory.DeleteAsync(Everything, id, Cancel);
        await Assert.ThrowsAsync<Certitude.Hosting.NotFoundException>(() => Inventory.GetAsync(Everything, id, Cancel));

        var (summary, again) = await ImportAsync(("deleted.pem", Pem(leaf)), ("elsewhere.pem", Pem(leaf)));

        Assert.Equal(0, summary.NewCertificates);
        Assert.All(again, f => Assert.Equal(files[0].Certificates[0].Id, Assert.Single(f.Certificates).Id));
        var restored = await Inventory.GetAsync(Everything, id, Cancel);
        Assert.Equal("carol@example.com", restored.Summary.Owner);
        var source = Assert.Single(restored.Sources, s => s.Location == "/import/deleted.pem");
        Assert.Equal(firstSeen, source.FirstSeenAt);
        Assert.True(source.LastSeenAt >= source.FirstSeenAt);
        Assert.Contains(restored.Sources, s => s.Location == "/import/elsewhere.pem");
    }

    [Fact]
    public async Task Import_IssuersAfterTheirChildren_LinksEveryLevelWhenItArrives()
    {
        var marker = Marker();
        var root = CertificateFactory.CreateRoot($"Late Root {marker}");
        var intermediate = CertificateFactory.CreateIntermediate(root, $"Late Issuing CA {marker}");
        var leaves = Enumerable.Range(0, 3).Select(i => CertificateFactory.CreateLeaf(intermediate, $"late{i}-{marker}.example")).ToArray();

        var (_, children) = await ImportAsync(("leaves.pem", Pem(leaves)));
        Assert.All(await Task.WhenAll(children[0].Certificates.Select(c => DetailsAsync(c.Id))), d => Assert.Single(d.Chain));

        await ImportAsync(("intermediate.pem", Pem(intermediate)));
        var linked = await DetailsAsync(children[0].Certificates[0].Id);
        Assert.Equal(2, linked.Chain.Count);
        Assert.False(linked.ChainComplete);

        await ImportAsync(("root.pem", Pem(root)));
        Assert.All(await Task.WhenAll(children[0].Certificates.Select(c => DetailsAsync(c.Id))), d =>
        {
            Assert.Equal([$"Late Issuing CA {marker}", $"Late Root {marker}"], d.Chain.Skip(1).Select(l => l.CommonName));
            Assert.True(d.ChainComplete);
        });
    }

    [Fact]
    public async Task Import_IssuerInALaterBatchOfTheSameImport_LinksTheEarlierChildren()
    {
        var marker = Marker();
        var root = CertificateFactory.CreateRoot($"Batch Root {marker}");
        var early = CertificateFactory.CreateLeaf(root, $"early-{marker}.example");
        var late = CertificateFactory.CreateLeaf(root, $"late-{marker}.example");

        var (summary, files) = await ImportAsync([("early.pem", Pem(early)), .. BatchFiller(), ("root.pem", Pem(root)), .. BatchFiller(), ("late.pem", Pem(late))]);

        Assert.Equal(0, summary.FailedFiles);
        Assert.True((await DetailsAsync(files[0])).ChainComplete);
        Assert.True((await DetailsAsync(files[^1])).ChainComplete);
    }

    [Fact]
    public async Task Import_LookAlikeIssuerWithSameNameAndKeyId_IsNeverLinked()
    {
        var marker = Marker();
        var root = CertificateFactory.CreateRoot($"Genuine Root {marker}");
        var leaf = CertificateFactory.CreateLeaf(root, $"genuine-{marker}.example");
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var impostorRequest = new CertificateRequest(root.SubjectName, otherKey, HashAlgorithmName.SHA256);
        impostorRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        impostorRequest.CertificateExtensions.Add(root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single());
        using var impostor = impostorRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        // The impostor arrives first (lower id, first candidate), in the same batch as the child and the real issuer.
        var (_, files) = await ImportAsync(("impostor.pem", Pem(impostor)), ("leaf.pem", Pem(leaf)));
        Assert.Single((await DetailsAsync(files[1])).Chain);

        var (_, genuine) = await ImportAsync(("root.pem", Pem(root)), ("leaf-again.pem", Pem(leaf)));
        var chain = (await DetailsAsync(files[1])).Chain;
        Assert.Equal(2, chain.Count);
        Assert.Equal(genuine[0].Certificates[0].Id, chain[1].Id);
    }

    [Fact]
    public async Task Import_ChildAndIssuersInOneBatchInAnyOrder_LinksRsaAndEcdsaChains()
    {
        var marker = Marker();
        using var rsaKey = RSA.Create(2048);
        var rsaRequest = new CertificateRequest($"CN=RSA Root {marker}", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rsaRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rsaRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rsaRequest.PublicKey, false));
        var rsaRoot = rsaRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecIntermediate = CertificateFactory.Issue(rsaRoot, new X500DistinguishedName($"CN=EC Issuing CA {marker}"), new CertificateRequest("CN=x", leafKey, HashAlgorithmName.SHA256).PublicKey,
            CertificateFactory.RandomSerial(), r =>
            {
                r.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                r.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(r.PublicKey, false));
            });
        var ecIssuer = ecIntermediate.CopyWithPrivateKey(leafKey);
        var leaf = CertificateFactory.CreateLeaf(ecIssuer, $"mixed-{marker}.example", notBefore: ecIssuer.NotBefore.AddMinutes(1));

        var (_, files) = await ImportAsync(("leaf.pem", Pem(leaf)), ("intermediate.pem", Pem(ecIntermediate)), ("root.pem", Pem(rsaRoot)));

        var details = await DetailsAsync(files[0]);
        Assert.Equal([$"mixed-{marker}.example", $"EC Issuing CA {marker}", $"RSA Root {marker}"], details.Chain.Select(l => l.CommonName));
        Assert.True(details.ChainComplete);
    }

    [Fact]
    public async Task Import_BatchWithAFileTheDatabaseRefuses_StoresTheOthersAndNothingOfIt()
    {
        var marker = Marker();
        var root = CertificateFactory.CreateRoot($"Refused Root {marker}");
        var good = CertificateFactory.CreateLeaf(root, $"good-{marker}.example");
        var neighbour = CertificateFactory.CreateLeaf(root, $"neighbour-{marker}.example");
        // A 70-byte serial: legal to read, 140 hex digits where the column holds 128 (PostgreSQL enforces it, SQLite does not).
        var serial = RandomNumberGenerator.GetBytes(70);
        serial[0] = 0x41;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var longSerial = CertificateFactory.Issue(root, new X500DistinguishedName($"CN=long-serial-{marker}"), new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).PublicKey, serial);

        var (summary, files) = await ImportAsync(("good.pem", Pem(good)), ("refused.pem", Pem(neighbour, longSerial)), ("root.pem", Pem(root)));

        Assert.Null(files[0].Error);
        Assert.Null(files[2].Error);
        Assert.True((await DetailsAsync(files[0])).ChainComplete);
        var stored = await Inventory.ListAsync(Everything, new CertificateQuery { Text = $"neighbour-{marker}.example" }, null, 10, Cancel);
        if (fixture.Provider == Certitude.Data.DatabaseProvider.PostgreSql)
        {
            Assert.StartsWith("could not be stored", files[1].Error, StringComparison.Ordinal);
            Assert.Equal(1, summary.FailedFiles);
            Assert.Empty(stored.Items);
        }
        else
        {
            Assert.Null(files[1].Error);
            Assert.Single(stored.Items);
        }
    }

    private async Task<(ImportSummary Summary, IReadOnlyList<FileImportResult> Files)> ImportAsync(params (string Name, byte[] Content)[] files)
    {
        var target = await Importer.ResolveTargetAsync(Everything, null, Cancel);
        return await Importer.ImportAsync(
            files.Select(f => new ImportFile(f.Name, CertificateSourceKinds.File, "/import/" + f.Name, f.Content)).ToList(), null, target, Cancel);
    }

    private Task<CertificateDetails> DetailsAsync(FileImportResult file) => DetailsAsync(Assert.Single(file.Certificates).Id);

    private Task<CertificateDetails> DetailsAsync(long? id) =>
        Inventory.GetAsync(Everything, id!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Cancel);

    private static byte[] Pem(params X509Certificate2[] certificates) => Encoding.ASCII.GetBytes(CertificateFactory.ToPem(certificates));

    /// <summary>Files of comment text (and one certificate each) adding up to the importer's batch budget, so that
    /// the files after them go to the next batch and transaction.</summary>
    private static IEnumerable<(string Name, byte[] Content)> BatchFiller()
    {
        const int fileSize = 12 * 1024 * 1024;
        var line = "# filler line to reach the batch size\n";
        var text = new StringBuilder(fileSize + 4096).Insert(0, line, fileSize / line.Length).ToString();
        for (var i = 0L; i * fileSize < CertificateImporter.MaxBatchBytes; i++)
        {
            yield return ($"filler-{i}.pem", Encoding.ASCII.GetBytes(text + CertificateFactory.ToPem(CertificateFactory.CreateLeaf(null, $"filler-{Marker()}.example"))));
        }
    }

    private static string Marker() => Guid.NewGuid().ToString("N")[..10];
}

public sealed class SqliteCertificateImporterTests(SqliteServerFixture fixture) : CertificateImporterTests(fixture), IClassFixture<SqliteServerFixture>;

public sealed class PostgreSqlCertificateImporterTests(PostgreSqlServerFixture fixture) : CertificateImporterTests(fixture), IClassFixture<PostgreSqlServerFixture>;
