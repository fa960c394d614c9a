using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Data;

/// <summary>
/// The access stamp: one row whose value changes, to a new random number, in the same transaction as every change to
/// who may do what (divisions, users and their Identity rows, role assignments, API keys, CAs). A node caches access
/// state for one stamp value and reads only this row to learn whether its copy is still current, so a change on any
/// node applies on every node at the next request. <see cref="AccessStampInterceptor"/> moves it for changes saved
/// through a context; <see cref="BumpAsync"/> is for the rare write that bypasses SaveChanges (ExecuteUpdate, raw SQL).
/// </summary>
public sealed class AccessStamp
{
    public const int RowId = 1;

    /// <summary>Raw ADO text of the per-request read: the cheapest statement that can answer it, on both providers.</summary>
    internal const string ReadSql = "SELECT \"Value\" FROM \"access_stamps\" WHERE \"Id\" = 1";

    public int Id { get; set; }

    /// <summary>Random, not a counter: writers need not read it first, and concurrent writers still leave a value that
    /// differs from every one a reader may have cached.</summary>
    public long Value { get; set; }

    public static long NewValue() => BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));

    /// <summary>Moves the stamp inside <paramref name="db"/>'s current transaction, if any: call it after changing access
    /// state without SaveChanges. This node's cache notices at its next stamp read (the next request).</summary>
    public static Task<int> BumpAsync(CertitudeDbContext db, CancellationToken cancellationToken)
    {
        var value = NewValue();
        return db.AccessStamps.Where(s => s.Id == RowId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Value, value), cancellationToken);
    }
}
