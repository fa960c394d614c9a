using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Certitude.Data;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Organization;

/// <summary>
/// This node's copy of what authorizing a request needs — the division tree, API keys, each user's (or key's) resolved
/// scope and principal claims — valid for one value of the <see cref="AccessStamp"/>. Every use first reads the stamp
/// (one row, raw ADO); when it differs from the copy's, the copy is dropped and reloaded piece by piece as asked for.
/// The stamp is read before the state it guards, so no copy is older than its stamp. Within one HTTP request
/// (<see cref="OrganizationModule.UseAccessSnapshots"/>) the stamp is read once; a change committed through this node
/// drops the copy at once, so a request sees its own changes. Facts that end with time (expiry, lockout) are kept as
/// data and checked against the clock on every use. See docs/decisions/0005-access-cache.md.
/// </summary>
public sealed class AccessCache : IAsyncDisposable
{
    /// <summary>Stamp readers kept open between requests; more at once are closed after use (each holds a connection).</summary>
    private const int IdleStampReaders = 8;

    private readonly IDbContextFactory<CertitudeDbContext> _contexts;
    private readonly ConcurrentBag<StampReader> _stampReaders = [];
    private readonly AsyncLocal<RequestSnapshot?> _request = new();
    private Generation? _current;

    public AccessCache(IDbContextFactory<CertitudeDbContext> contexts, AccessStampInterceptor stamps)
    {
        _contexts = contexts;
        stamps.AccessChanged += Invalidate;
    }

    /// <summary>Drops this node's copy: the next use reads the stamp again.</summary>
    public void Invalidate() => Volatile.Write(ref _current, null);

    /// <summary>The rest of this async flow (one HTTP request) reads the stamp at most once, unless the copy it saw is
    /// dropped or replaced meanwhile; disposing the result ends that (work the request started may outlive it).</summary>
    internal IDisposable BeginRequest()
    {
        var snapshot = new RequestSnapshot();
        _request.Value = snapshot;
        return snapshot;
    }

    /// <summary>The division tree. Shared by every caller: never change the divisions it holds.</summary>
    public async Task<DivisionTree> TreeAsync(CancellationToken cancellationToken) =>
        await TreeAsync(await CurrentAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// A value computed from rows whose every change moves the access stamp (divisions, CAs apart from their CRLs;
    /// see <see cref="AccessStampInterceptor"/>), kept for the current stamp value under <paramref name="key"/>: the
    /// CA a division's requests go to, for instance. A load that throws is not remembered.
    /// </summary>
    public async Task<T> DerivedAsync<T>(string key, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
        where T : class
    {
        var generation = await CurrentAsync(cancellationToken);
        if (generation.Derived.TryGetValue(key, out var cached))
        {
            return (T)cached;
        }

        return (T)generation.Derived.GetOrAdd(key, await load(cancellationToken));
    }

    /// <summary>The key with this id, or null when there is none.</summary>
    internal async Task<CachedApiKey?> ApiKeyAsync(Guid id, CancellationToken cancellationToken)
    {
        var generation = await CurrentAsync(cancellationToken);
        if (generation.Keys.TryGetValue(id, out var cached))
        {
            return cached;
        }

        await using var db = _contexts.CreateDbContext();
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == id)
            .Select(k => new { k.UserId, k.SecretHash, k.RevokedAt, k.ExpiresAt, k.LastUsedAt, k.LastUsedFrom })
            .FirstOrDefaultAsync(cancellationToken);
        // Unknown ids are not remembered: anyone can present any number of them.
        return key is null ? null : generation.Keys.GetOrAdd(id,
            new CachedApiKey(id, key.UserId, Convert.FromHexString(key.SecretHash), key.RevokedAt, key.ExpiresAt, key.LastUsedAt, key.LastUsedFrom));
    }

    /// <summary>Notes a use of the key in this node's copy. False when another request noted a use recent enough
    /// first: only the caller that gets true writes it to the database, so concurrent requests write it once.</summary>
    internal bool ClaimUse(Guid keyId, DateTimeOffset now, string? address)
    {
        if (Volatile.Read(ref _current) is not { } generation || !generation.Keys.TryGetValue(keyId, out var cached))
        {
            return true;
        }

        return cached.UseIsNews(now, address) && generation.Keys.TryUpdate(keyId, cached with { LastUsedAt = now, LastUsedFrom = address }, cached);
    }

    /// <summary>What the user, or their key <paramref name="apiKeyId"/>, may do, before any check against the clock;
    /// null for an unknown user or a key that is not theirs.</summary>
    internal async Task<CachedGrant?> GrantAsync(string userId, Guid? apiKeyId, CancellationToken cancellationToken)
    {
        var generation = await CurrentAsync(cancellationToken);
        if (generation.Grants.TryGetValue((userId, apiKeyId), out var cached))
        {
            return cached;
        }

        await using var db = _contexts.CreateDbContext();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        var key = user is not null && apiKeyId is { } id
            ? await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id && k.UserId == userId, cancellationToken)
            : null;
        CachedGrant? grant = null;
        if (user is not null && (apiKeyId is null || key is not null))
        {
            var tree = await TreeAsync(generation, cancellationToken);
            var assignments = await db.RoleAssignments.AsNoTracking().Where(r => r.UserId == userId).ToListAsync(cancellationToken);
            grant = new CachedGrant(AccessService.Resolve(user, key, tree, assignments), user.AccessExpiresAt, user.LockoutEnd,
                key?.RevokedAt is not null, key?.ExpiresAt);
        }

        // User ids come from signed cookies, checked keys and signed links, so the unknown ones remembered stay few.
        return generation.Grants.GetOrAdd((userId, apiKeyId), grant);
    }

    /// <summary>A copy of the claims identity that <paramref name="load"/> (Identity's principal factory) made for the
    /// user under the current stamp; null when it finds no user.</summary>
    internal async Task<ClaimsIdentity?> IdentityAsync(string userId, Func<Task<ClaimsIdentity?>> load, CancellationToken cancellationToken)
    {
        var generation = await CurrentAsync(cancellationToken);
        if (!generation.Identities.TryGetValue(userId, out var identity))
        {
            if (await load() is not { } loaded)
            {
                return null;
            }

            identity = generation.Identities.GetOrAdd(userId, loaded);
        }

        return identity.Clone();
    }

    private async ValueTask<Generation> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _request.Value;
        var current = Volatile.Read(ref _current);
        if (snapshot is { Ended: false, Seen: { } seen } && ReferenceEquals(seen, current))
        {
            return seen;
        }

        var stamp = await ReadStampAsync(cancellationToken);
        current = Volatile.Read(ref _current);
        if (current is null || current.Stamp != stamp)
        {
            // Losing this race to another reader only costs a reload: whichever copy stays, its stamp was read first.
            var fresh = new Generation(stamp);
            Interlocked.CompareExchange(ref _current, fresh, current);
            current = fresh;
        }

        if (snapshot is { Ended: false })
        {
            snapshot.Seen = current;
        }

        return current;
    }

    private async Task<long> ReadStampAsync(CancellationToken cancellationToken)
    {
        // A prepared statement on a connection kept open: creating a context, opening a pooled connection and
        // preparing the statement cost several times the read itself, on every request.
        if (!_stampReaders.TryTake(out var reader))
        {
            reader = new StampReader(_contexts.CreateDbContext());
        }

        long stamp;
        try
        {
            stamp = await reader.ReadAsync(cancellationToken);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }

        if (_stampReaders.Count < IdleStampReaders)
        {
            _stampReaders.Add(reader);
        }
        else
        {
            await reader.DisposeAsync();
        }

        return stamp;
    }

    public async ValueTask DisposeAsync()
    {
        while (_stampReaders.TryTake(out var reader))
        {
            await reader.DisposeAsync();
        }
    }

    private async Task<DivisionTree> TreeAsync(Generation generation, CancellationToken cancellationToken)
    {
        if (generation.Tree is { } tree)
        {
            return tree;
        }

        await using var db = _contexts.CreateDbContext();
        tree = new DivisionTree(await db.Divisions.AsNoTracking().ToListAsync(cancellationToken));
        generation.Tree = tree;
        return tree;
    }

    /// <summary>The copy for one stamp value; filled lazily, dropped whole.</summary>
    private sealed class Generation(long stamp)
    {
        public long Stamp { get; } = stamp;
        public DivisionTree? Tree { get; set; }
        public ConcurrentDictionary<Guid, CachedApiKey> Keys { get; } = new();
        public ConcurrentDictionary<(string UserId, Guid? KeyId), CachedGrant?> Grants { get; } = new();
        public ConcurrentDictionary<string, ClaimsIdentity> Identities { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, object> Derived { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Plain ADO on a connection of its own: no query pipeline, no transaction, one round trip.</summary>
    private sealed class StampReader(CertitudeDbContext db) : IAsyncDisposable
    {
        private System.Data.Common.DbCommand? _command;

        public async Task<long> ReadAsync(CancellationToken cancellationToken)
        {
            if (_command is null)
            {
                var connection = db.Database.GetDbConnection();
                await connection.OpenAsync(cancellationToken);
                _command = connection.CreateCommand();
                _command.CommandText = AccessStamp.ReadSql;
                await _command.PrepareAsync(cancellationToken);
            }

            return await _command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
                ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
                : throw new InvalidOperationException("The access stamp row is missing: the database schema is not up to date.");
        }

        public async ValueTask DisposeAsync()
        {
            if (_command is not null)
            {
                await _command.DisposeAsync();
            }

            await db.DisposeAsync();
        }
    }

    private sealed class RequestSnapshot : IDisposable
    {
        public Generation? Seen { get; set; }
        public bool Ended { get; private set; }

        public void Dispose() => Ended = true;
    }
}
