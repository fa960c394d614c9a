using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certitude.Data;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Certitude.IntegrationTests.Features.Authority;

/// <summary>
/// A CA's CRL is published by every revocation and, when it is past half its validity, by whoever fetches it (and
/// the background job, on every node). Several at once must still give CRLs whose numbers only increase (RFC 5280
/// §5.2.3: two different CRLs never share a number) and a last CRL that lists every committed revocation. Judged by
/// openssl's reading of every CRL served.
/// </summary>
public abstract partial class CrlConcurrencyTests(DatabaseProvider provider) : IDisposable
{
    private const int Rounds = 5;
    private const int RevocationsPerRound = 2;
    private const int FetchesPerRound = 4;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly string _work = Directory.CreateTempSubdirectory("certitude-crl-").FullName;

    [Fact]
    public async Task PublishCrl_RevocationsAndDueRefreshesAtOnce_NumbersIncreaseAndTheLastListsEveryRevocation()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await CertitudeServer.StartAsync(provider, builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var admin = server.CreateClient();
        using var anonymous = server.CreateAnonymousClient();
        const string domain = "crl.example.com";
        await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = "crl-root", commonName = "CRL Root" }, HttpStatusCode.Created);
        await PostAsync<AuthorityDto>(admin, "/api/v1/authorities", new { name = "crl-issuing", commonName = "CRL Issuing", parent = "crl-root" }, HttpStatusCode.Created);
        var organization = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        var division = await PostAsync<DivisionDto>(admin, "/api/v1/divisions", new
        {
            parentId = organization.Id, name = "CRL", domains = new[] { domain }, approvalPolicy = "AutoApprove", defaultAuthority = "crl-issuing",
        }, HttpStatusCode.Created);
        var certificates = new List<long>();
        for (var i = 0; i < Rounds * RevocationsPerRound; i++)
        {
            var issued = await PostAsync<RequestDto>(admin, "/api/v1/requests", new { divisionId = division.Id, csr = NewCsr($"host{i}.{domain}") }, HttpStatusCode.Created);
            certificates.Add(issued.CertificateId!.Value);
        }

        var served = new List<byte[]>();
        var revokedSerials = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            // Past half the CRL's validity: the next fetches publish a new one, while revocations publish theirs.
            time.Advance(TimeSpan.FromDays(4));
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var revocations = certificates.Skip(round * RevocationsPerRound).Take(RevocationsPerRound).Select(async id =>
            {
                await go.Task;
                return await PostAsync<IssuedCertificateInfo>(admin, $"/api/v1/certificates/{id}/revoke", new { reason = "Superseded" }, HttpStatusCode.OK);
            }).ToList();
            var fetches = Enumerable.Range(0, FetchesPerRound).Select(async _ =>
            {
                await go.Task;
                return await anonymous.GetByteArrayAsync("/crl/crl-issuing.crl", Cancel);
            }).ToList();
            go.SetResult();
            revokedSerials.AddRange((await Task.WhenAll(revocations).WaitAsync(TimeSpan.FromSeconds(60), Cancel)).Select(r => r.SerialNumber));
            served.AddRange(await Task.WhenAll(fetches).WaitAsync(TimeSpan.FromSeconds(60), Cancel));
        }

        var last = await anonymous.GetByteArrayAsync("/crl/crl-issuing.crl", Cancel);
        served.Add(last);

        // openssl reads every distinct CRL served: its number and the serials it lists.
        var crls = new List<(long Number, HashSet<string> Serials, string File, string Der)>();
        foreach (var (der, index) in served.DistinctBy(Convert.ToHexString).Select((d, i) => (d, i)))
        {
            var file = $"crl-{index}.der";
            await File.WriteAllBytesAsync(Path.Combine(_work, file), der, Cancel);
            var text = await ExternalProcess.RunAsync("/usr/bin/openssl", ["crl", "-inform", "DER", "-in", file, "-noout", "-text"], _work);
            var number = long.Parse(CrlNumber().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            crls.Add((number, SerialNumber().Matches(text).Select(m => m.Groups[1].Value.ToLowerInvariant().TrimStart('0')).ToHashSet(), file, Convert.ToHexString(der)));
        }

        var shared = crls.GroupBy(c => c.Number).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.File))}").ToList();
        Assert.True(shared.Count == 0, $"different CRLs with the same CRL number: {string.Join("; ", shared)}");

        // A later CRL never drops a revocation an earlier one listed, and the last lists them all.
        var ordered = crls.OrderBy(c => c.Number).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var dropped = ordered[i - 1].Serials.Except(ordered[i].Serials).ToList();
            Assert.True(dropped.Count == 0, $"CRL {ordered[i].Number} lost {string.Join(", ", dropped)} that CRL {ordered[i - 1].Number} listed");
        }

        Assert.Equal(ordered[^1].Der, Convert.ToHexString(last));
        Assert.Equal(revokedSerials.Select(s => s.ToLowerInvariant().TrimStart('0')).Order(), ordered[^1].Serials.Order());
    }

    private static string NewCsr(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        return request.CreateSigningRequestPem();
    }

    private static async Task<T> PostAsync<T>(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    [GeneratedRegex(@"X509v3 CRL Number:\s*\n\s*(\d+)")]
    private static partial Regex CrlNumber();

    [GeneratedRegex(@"Serial Number: ([0-9A-Fa-f]+)")]
    private static partial Regex SerialNumber();

    public void Dispose()
    {
        Directory.Delete(_work, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteCrlConcurrencyTests() : CrlConcurrencyTests(DatabaseProvider.Sqlite);

public sealed class PostgreSqlCrlConcurrencyTests() : CrlConcurrencyTests(DatabaseProvider.PostgreSql);
