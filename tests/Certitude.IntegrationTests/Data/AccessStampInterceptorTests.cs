using Certitude.Data;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Certitude.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Data;

/// <summary>The access stamp moves with every saved change to access state, in the same transaction, and only then.</summary>
public sealed class AccessStampInterceptorTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task SaveChanges_AccessChanges_MoveTheStamp_RecordingKeyUseDoesNot(DatabaseProvider provider)
    {
        await using var storage = await StorageAsync(provider);
        await using var db = storage.Contexts.CreateDbContext();
        var division = new Division { Name = "Stamp test", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        var user = new CertitudeUser { UserName = "stamp", NormalizedUserName = "STAMP", CreatedAt = DateTimeOffset.UtcNow };
        db.AddRange(division, user);
        var stamp = await storage.StampAsync();
        await db.SaveChangesAsync(Cancel);
        Assert.NotEqual(stamp, stamp = await storage.StampAsync());
        Assert.Equal(1, storage.Changes);

        var key = new ApiKey { Id = Guid.CreateVersion7(), UserId = user.Id, Name = "k", SecretHash = new string('0', 64), CreatedAt = DateTimeOffset.UtcNow };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(Cancel);
        Assert.NotEqual(stamp, stamp = await storage.StampAsync());

        key.LastUsedAt = DateTimeOffset.UtcNow;
        key.LastUsedFrom = "127.0.0.1";
        await db.SaveChangesAsync(Cancel);
        Assert.Equal(stamp, await storage.StampAsync());

        db.Invitations.Add(new Invitation
        {
            Id = Guid.NewGuid(), TokenHash = new string('1', 64), Email = "guest@example.test", DivisionId = division.Id, InvitedByUserId = user.Id,
            CreatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1), AccessDays = 1,
        });
        await db.SaveChangesAsync(Cancel);
        Assert.Equal(stamp, await storage.StampAsync());
        Assert.Equal(2, storage.Changes);

        key.ReadOnly = true;
        key.LastUsedFrom = "127.0.0.2";
        await db.SaveChangesAsync(Cancel);
        Assert.NotEqual(stamp, stamp = await storage.StampAsync());

        db.RoleAssignments.Add(new RoleAssignment { UserId = user.Id, DivisionId = division.Id, Role = OrganizationRole.User });
        await db.SaveChangesAsync(Cancel);
        Assert.NotEqual(stamp, stamp = await storage.StampAsync());

        // A failed sign-in below the lockout is bookkeeping; the lockout itself is not.
        user.AccessFailedCount++;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await db.SaveChangesAsync(Cancel);
        Assert.Equal(stamp, await storage.StampAsync());
        user.LockoutEnd = DateTimeOffset.UtcNow.AddMinutes(15);
        await db.SaveChangesAsync(Cancel);
        Assert.NotEqual(stamp, stamp = await storage.StampAsync());

        db.Remove(key);
        await db.SaveChangesAsync(Cancel);
        Assert.NotEqual(stamp, await storage.StampAsync());
        Assert.Equal(6, storage.Changes);
    }

    [Fact]
    public async Task ChangesAccess_CertificateAuthority_CrlOnlyIsBookkeeping()
    {
        await using var storage = await StorageAsync(DatabaseProvider.Sqlite);
        await using var db = storage.Contexts.CreateDbContext();
        var entry = db.Attach(new CertificateAuthority
        {
            Id = 7, Name = "issuing", Connector = "built-in", CertificateDer = [1], Subject = "CN=Issuing", KeyAlgorithm = "ECDSA P-256",
        });
        entry.Property(a => a.CrlNumber).IsModified = true;
        entry.Property(a => a.CrlDer).IsModified = true;
        entry.Property(a => a.CrlNextUpdate).IsModified = true;
        Assert.False(AccessStampInterceptor.ChangesAccess(entry));

        entry.Property(a => a.IsIssuing).IsModified = true;
        Assert.True(AccessStampInterceptor.ChangesAccess(entry));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task SaveChanges_InATransaction_MovesTheStampWithTheChange_AndTellsThisNodeOnCommit(DatabaseProvider provider)
    {
        await using var storage = await StorageAsync(provider);
        var stamp = await storage.StampAsync();
        await using (var db = storage.Contexts.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
            db.Divisions.Add(new Division { Name = "Rolled back", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Cancel);
            await transaction.RollbackAsync(Cancel);
        }

        Assert.Equal(stamp, await storage.StampAsync());
        Assert.Equal(0, storage.Changes);

        await using (var db = storage.Contexts.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(Cancel);
            db.Divisions.Add(new Division { Name = "Committed", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Cancel);
            Assert.Equal(0, storage.Changes);
            await transaction.CommitAsync(Cancel);
        }

        Assert.NotEqual(stamp, await storage.StampAsync());
        Assert.Equal(1, storage.Changes);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task BumpAsync_AfterAWriteThatBypassesSaveChanges_MovesTheStamp(DatabaseProvider provider)
    {
        await using var storage = await StorageAsync(provider);
        var stamp = await storage.StampAsync();
        await using var db = storage.Contexts.CreateDbContext();
        Assert.Equal(1, await AccessStamp.BumpAsync(db, Cancel));
        Assert.NotEqual(stamp, await storage.StampAsync());
    }

    private static async Task<Storage> StorageAsync(DatabaseProvider provider) => new(await MigratedStorage.CreateAsync(provider, Cancel));

    private sealed class Storage : IAsyncDisposable
    {
        private readonly MigratedStorage _storage;
        private int _changes;

        public Storage(MigratedStorage storage)
        {
            _storage = storage;
            storage.Services.GetRequiredService<AccessStampInterceptor>().AccessChanged += () => Interlocked.Increment(ref _changes);
        }

        public IDbContextFactory<CertitudeDbContext> Contexts => _storage.Contexts;

        /// <summary>Committed access changes this node was told about.</summary>
        public int Changes => Volatile.Read(ref _changes);

        public async Task<long> StampAsync()
        {
            await using var db = Contexts.CreateDbContext();
            return await db.AccessStamps.AsNoTracking().Select(s => s.Value).SingleAsync(Cancel);
        }

        public ValueTask DisposeAsync() => _storage.DisposeAsync();
    }
}
