using System.Data.Common;
using System.Runtime.CompilerServices;
using Certitude.Features.Authority;
using Certitude.Features.Organization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Certitude.Data;

/// <summary>
/// Moves the <see cref="AccessStamp"/> in the same SaveChanges as any added, changed or deleted row that decides who may
/// do what, so the new stamp commits (or rolls back) with the change itself. Bookkeeping that changes nobody's access
/// leaves the stamp alone: a key's last use, a CA's CRL (every revocation and scheduled publication), a failed sign-in
/// counted below the lockout. After a change commits, <see cref="AccessChanged"/> tells this node's cache at once;
/// other nodes learn it from the stamp.
/// </summary>
public sealed class AccessStampInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly HashSet<Type> AccessTypes =
    [
        typeof(Division), typeof(CertitudeUser), typeof(RoleAssignment), typeof(ApiKey), typeof(CertificateAuthority),
        typeof(IdentityUserClaim<string>), typeof(IdentityUserLogin<string>), typeof(IdentityUserToken<string>),
        typeof(IdentityRole), typeof(IdentityUserRole<string>), typeof(IdentityRoleClaim<string>),
    ];

    /// <summary>Properties whose change alone is bookkeeping, not access (no cache may hold them).</summary>
    private static readonly Dictionary<Type, HashSet<string>> Bookkeeping = new()
    {
        [typeof(ApiKey)] = [nameof(ApiKey.LastUsedAt), nameof(ApiKey.LastUsedFrom)],
        [typeof(CertificateAuthority)] = [nameof(CertificateAuthority.CrlNumber), nameof(CertificateAuthority.CrlDer), nameof(CertificateAuthority.CrlNextUpdate)],
        [typeof(CertitudeUser)] = [nameof(CertitudeUser.AccessFailedCount), nameof(CertitudeUser.ConcurrencyStamp)],
    };

    private static readonly object Marker = new();

    private readonly ConditionalWeakTable<DbContext, object> _savingWithStamp = [];
    private readonly ConditionalWeakTable<DbTransaction, object> _committingWithStamp = [];

    /// <summary>A change to access state was committed through this node.</summary>
    public event Action? AccessChanged;

    /// <summary>Whether saving this entry changes what someone may do.</summary>
    internal static bool ChangesAccess(EntityEntry entry) =>
        entry.State is EntityState.Added or EntityState.Deleted or EntityState.Modified
        && AccessTypes.Contains(entry.Metadata.ClrType)
        && !(entry.State == EntityState.Modified && Bookkeeping.TryGetValue(entry.Metadata.ClrType, out var bookkeeping)
            && entry.Properties.Where(p => p.IsModified).All(p => bookkeeping.Contains(p.Metadata.Name)));

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(transaction);

    Task IDbTransactionInterceptor.TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        Committed(transaction);
        return Task.CompletedTask;
    }

    void IDbTransactionInterceptor.TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        _committingWithStamp.Remove(transaction);

    Task IDbTransactionInterceptor.TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken)
    {
        _committingWithStamp.Remove(transaction);
        return Task.CompletedTask;
    }

    private void Stamp(DbContext? context)
    {
        if (context is null || !context.ChangeTracker.Entries().Any(ChangesAccess))
        {
            return;
        }

        var stamp = context.ChangeTracker.Entries<AccessStamp>().FirstOrDefault(e => e.Entity.Id == AccessStamp.RowId)
            ?? context.Attach(new AccessStamp { Id = AccessStamp.RowId });
        stamp.Entity.Value = AccessStamp.NewValue();
        stamp.Property(s => s.Value).IsModified = true;
        _savingWithStamp.AddOrUpdate(context, Marker);
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_savingWithStamp.Remove(context))
        {
            return;
        }

        if (context.Database.CurrentTransaction?.GetDbTransaction() is { } transaction)
        {
            _committingWithStamp.AddOrUpdate(transaction, Marker);
        }
        else
        {
            AccessChanged?.Invoke();
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _savingWithStamp.Remove(context);
        }
    }

    private void Committed(DbTransaction transaction)
    {
        if (_committingWithStamp.Remove(transaction))
        {
            AccessChanged?.Invoke();
        }
    }
}
