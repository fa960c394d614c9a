using System.Data;
using System.Data.Common;
using Certitude.Data;
using Certitude.Features.Organization;
using Certitude.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Certitude.IntegrationTests.Data;

/// <summary>
/// The group-commit writer keeps one connection across the batches that follow one another, gives it up after a
/// failure or when idle, and a unit whose kept connection died meanwhile still commits.
/// </summary>
public sealed class GroupCommitTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task RunAsync_BatchesInARow_ShareTheirConnection_UntilIdle(DatabaseProvider provider)
    {
        await using var storage = await StorageAsync(provider);
        var writer = storage.Services.GetRequiredService<GroupCommit>();
        writer.IdleConnectionLifetime = TimeSpan.FromMilliseconds(300);

        var first = await writer.RunAsync((db, _) => Task.FromResult(db.Database.GetDbConnection()), Cancel);
        var second = await writer.RunAsync((db, _) => Task.FromResult(db.Database.GetDbConnection()), Cancel);
        Assert.Same(first, second);
        Assert.Equal(ConnectionState.Open, second.State);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (first.State != ConnectionState.Closed && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, Cancel);
        }

        Assert.Equal(ConnectionState.Closed, first.State);
        var afterIdle = await writer.RunAsync((db, _) => Task.FromResult(db.Database.GetDbConnection()), Cancel);
        Assert.NotSame(first, afterIdle);
        Assert.Equal(ConnectionState.Open, afterIdle.State);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task RunAsync_AfterAFailedUnit_TheNextCommitsOnAFreshConnection_AndTheFailureLeavesNothing(DatabaseProvider provider)
    {
        await using var storage = await StorageAsync(provider);
        var writer = storage.Services.GetRequiredService<GroupCommit>();
        var kept = await writer.RunAsync((db, _) => Task.FromResult(db.Database.GetDbConnection()), Cancel);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.RunAsync<long>(async (db, ct) =>
        {
            db.Divisions.Add(NewDivision("Rolled back"));
            await db.SaveChangesAsync(ct);
            throw new InvalidOperationException("unit failed");
        }, Cancel));
        Assert.Equal("unit failed", failure.Message);

        DbConnection? used = null;
        await writer.RunAsync(async (db, ct) =>
        {
            used = db.Database.GetDbConnection();
            db.Divisions.Add(NewDivision("Committed"));
            await db.SaveChangesAsync(ct);
            return 0;
        }, Cancel);

        Assert.NotSame(kept, used);
        await using var check = await storage.Contexts.CreateDbContextAsync(Cancel);
        var names = await check.Divisions.Select(d => d.Name).ToListAsync(Cancel);
        Assert.Contains("Committed", names);
        Assert.DoesNotContain("Rolled back", names);
    }

    [Fact]
    public async Task RunAsync_WhenTheKeptConnectionWasKilled_StillCommitsTheUnit()
    {
        await using var storage = await StorageAsync(DatabaseProvider.PostgreSql);
        var writer = storage.Services.GetRequiredService<GroupCommit>();
        var pid = await writer.RunAsync(async (db, ct) => await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").SingleAsync(ct), Cancel);

        await using (var admin = new NpgsqlConnection(storage.Database.Storage.ConnectionString))
        {
            await admin.OpenAsync(Cancel);
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", admin);
            kill.Parameters.AddWithValue("pid", pid);
            Assert.Equal(true, await kill.ExecuteScalarAsync(Cancel));
        }

        var id = await writer.RunAsync(async (db, ct) =>
        {
            var division = NewDivision("After the kill");
            db.Divisions.Add(division);
            await db.SaveChangesAsync(ct);
            return division.Id;
        }, Cancel);

        await using var check = await storage.Contexts.CreateDbContextAsync(Cancel);
        Assert.Equal("After the kill", await check.Divisions.Where(d => d.Id == id).Select(d => d.Name).SingleAsync(Cancel));
    }

    [Fact]
    public async Task RunAsync_OnSqlite_CommitsWithoutWaitingInTheLock_AndAnswersEveryCallerOnceFlushed()
    {
        await using var storage = await StorageAsync(DatabaseProvider.Sqlite);
        var writer = storage.Services.GetRequiredService<GroupCommit>();

        // The writer's connection leaves the flush to the WAL flusher (NORMAL), other connections keep FULL.
        Assert.Equal(1L, await writer.RunAsync((db, ct) => SynchronousAsync(db, ct), Cancel));
        await using (var other = await storage.Contexts.CreateDbContextAsync(Cancel))
        {
            await other.Database.OpenConnectionAsync(Cancel);
            Assert.Equal(2L, await SynchronousAsync(other, Cancel));
        }

        // Many callers at once, across many batches and flushes: each gets its own answer, and every row is there.
        var ids = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => writer.RunAsync(async (db, ct) =>
        {
            var division = NewDivision($"Flushed {i}");
            db.Divisions.Add(division);
            await db.SaveChangesAsync(ct);
            return division.Id;
        }, Cancel)));
        Assert.Equal(300, ids.Distinct().Count());
        await using var check = await storage.Contexts.CreateDbContextAsync(Cancel);
        Assert.Equal(300, await check.Divisions.CountAsync(d => d.Name.StartsWith("Flushed "), Cancel));
    }

    private static async Task<object?> SynchronousAsync(CertitudeDbContext db, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static Division NewDivision(string name) => new() { Name = name, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };

    private static Task<MigratedStorage> StorageAsync(DatabaseProvider provider) => MigratedStorage.CreateAsync(provider, Cancel);
}
