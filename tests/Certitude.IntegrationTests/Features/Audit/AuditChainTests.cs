using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Features.Audit;

/// <summary>The audit chain catches rows edited, deleted or reordered directly in the database (SQL, not the app).</summary>
public abstract class AuditChainTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private CertitudeServer? _server;

    private CertitudeServer Server => _server!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await CertitudeServer.StartAsync(provider);
        using var admin = Server.CreateClient();
        var root = (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null);
        for (var i = 0; i < 5; i++)
        {
            var response = await admin.PostAsJsonAsync("/api/v1/divisions", new { parentId = root.Id, name = $"Audited {i}" }, Cancel);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Verify_UntouchedChain_IsIntactThroughApiAndCli()
    {
        using var admin = Server.CreateClient();
        var result = await (await admin.PostAsync("/api/v1/audit/verify", null, Cancel)).Content.ReadFromJsonAsync<AuditVerification>(Json, Cancel);
        Assert.True(result!.Intact);
        Assert.True(result.VerifiedEntries >= 7, $"expected the root, the key and five divisions, got {result.VerifiedEntries}");

        var entries = await admin.GetFromJsonAsync<AuditPage>("/api/v1/audit?action=division.create", Json, Cancel);
        Assert.Contains(entries!.Items, e => e.Details!.Contains("Audited 3", StringComparison.Ordinal) && e.ActorName.StartsWith("admin", StringComparison.Ordinal));
        var csv = await admin.GetStringAsync("/api/v1/audit/export?action=division.", Cancel);
        Assert.StartsWith(AuditCsv.Header, csv, StringComparison.Ordinal);

        var cli = await CliRunner.RunAsync(["audit", "verify", "--data", Server.Database.Storage.DataDirectory, "--database", Server.Database.Storage.ConnectionString]);
        Assert.Equal(0, cli.ExitCode);
        Assert.Contains("intact", cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EditedRow_ReportsThatEntry()
    {
        var target = await EntryAsync(4);
        await ExecuteAsync($"UPDATE audit_log SET \"Details\" = '[\"forged\"]' WHERE \"Id\" = {target.Id}");
        await AssertBrokenAtAsync(4, "edited");
    }

    [Fact]
    public async Task Verify_DeletedRow_ReportsTheGap()
    {
        var target = await EntryAsync(3);
        await ExecuteAsync($"DELETE FROM audit_log WHERE \"Id\" = {target.Id}");
        await AssertBrokenAtAsync(4, "missing");
    }

    [Fact]
    public async Task Verify_ReorderedRows_ReportsTheFirstOutOfPlace()
    {
        var second = await EntryAsync(2);
        var third = await EntryAsync(3);
        // Swap their places in the sequence (through a free number, the column is unique).
        await ExecuteAsync($"UPDATE audit_log SET \"Sequence\" = -1 WHERE \"Id\" = {second.Id}");
        await ExecuteAsync($"UPDATE audit_log SET \"Sequence\" = 2 WHERE \"Id\" = {third.Id}");
        await ExecuteAsync($"UPDATE audit_log SET \"Sequence\" = 3 WHERE \"Id\" = {second.Id}");
        await AssertBrokenAtAsync(2, null);
    }

    private async Task AssertBrokenAtAsync(long sequence, string? problemWord)
    {
        using var admin = Server.CreateClient();
        var result = await (await admin.PostAsync("/api/v1/audit/verify", null, Cancel)).Content.ReadFromJsonAsync<AuditVerification>(Json, Cancel);
        Assert.False(result!.Intact);
        Assert.Equal(sequence, result.BrokenSequence);
        if (problemWord is not null)
        {
            Assert.Contains(problemWord, result.Problem, StringComparison.Ordinal);
        }

        var cli = await CliRunner.RunAsync(["audit", "verify", "--data", Server.Database.Storage.DataDirectory, "--database", Server.Database.Storage.ConnectionString]);
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains($"BROKEN at entry {sequence}", cli.Stdout, StringComparison.Ordinal);
    }

    private async Task<AuditEntry> EntryAsync(long sequence)
    {
        await using var db = Server.Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContext();
        return await db.AuditEntries.AsNoTracking().SingleAsync(e => e.Sequence == sequence, Cancel);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = Server.Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContext();
#pragma warning disable EF1002 // The statements are the test's own constants: tampering is the point.
        await db.Database.ExecuteSqlRawAsync(sql, Cancel);
#pragma warning restore EF1002
    }
}

public sealed class SqliteAuditChainTests() : AuditChainTests(DatabaseProvider.Sqlite);

public sealed class PostgreSqlAuditChainTests() : AuditChainTests(DatabaseProvider.PostgreSql);
