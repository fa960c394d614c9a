using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Data;

/// <summary>
/// Group commit for hot write paths (issuance): units of database work from many callers run one after another in one
/// transaction that is committed once for all of them. N concurrent writers then cost one commit — one fsync of the
/// SQLite WAL, which synchronous=FULL makes every commit wait for — instead of N, and none of them waits in SQLite's
/// busy handler (Microsoft.Data.Sqlite retries a locked database by sleeping 150 ms). Each caller's task completes
/// only after the commit that holds its work, so "committed before returned" holds for every caller.
/// </summary>
/// <remarks>
/// A unit that throws rolls its batch back; the batch's units then run again, each in a transaction of its own, so
/// that only the failing one reports its error, to its own caller. A unit may therefore run more than once: it builds
/// everything it writes from its inputs and keeps nothing outside the context between runs. After each unit its
/// changes are saved and the change tracker is cleared, so a unit sees the others' rows through queries (in the same
/// transaction), never as tracked entities. On PostgreSQL the batch is simply one transaction; several server nodes
/// each batch their own callers, and the database's locks order the batches. Batches that follow one another share
/// one context and connection (closed after a failed batch, or when idle).
/// </remarks>
public sealed class GroupCommit(IDbContextFactory<CertitudeDbContext> contexts, ILogger<GroupCommit> logger) : IAsyncDisposable
{
    /// <summary>Most units in one transaction: enough to amortize a commit, few enough that a retry after a failure stays cheap.</summary>
    public const int MaxBatch = 64;

    /// <summary>
    /// SQLite page cache of the writer's connection (the default is 2 MB). Issuance inserts into a dozen indexes keyed
    /// by fingerprints, serials and names, each at a random place, so a larger cache reads fewer pages back from the
    /// file; but SQLite walks its whole page table at the end of every write transaction, which costs about 1 ms per
    /// commit with 64 MB. 8 MB measured best on the issuance benchmark.
    /// </summary>
    private const int WriterCacheKibibytes = 8 * 1024;

    /// <summary>
    /// WAL pages after which the writer's commit copies the log back into the database (SQLite's default is 1,000).
    /// A checkpoint writes each page it finds in the log once, however often it changed: with fewer, larger
    /// checkpoints the pages every batch touches (index ends, table tails) are written back far fewer times.
    /// </summary>
    private const int WriterCheckpointPages = 10_000;

    /// <summary>The writer's checkpoint threshold while a <see cref="WalFlusher"/> checkpoints in its stead.</summary>
    private const int FallbackCheckpointPages = 50_000;

    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _loop;

    // Touched only by the loop (one batch at a time).
    private CertitudeDbContext? _writer;
    private WalFlusher? _flusher;

    /// <summary>
    /// Runs <paramref name="work"/> inside a transaction shared with other callers' work and returns its result once
    /// that transaction is committed. <paramref name="cancellationToken"/> counts while the work waits its turn.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CertitudeDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var unit = new Unit<T>(work, cancellationToken);
        EnsureStarted();
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(unit), this);

        return await unit.Completion.Task;
    }

    /// <summary>How long the writer keeps its connection open with nothing to write (settable for tests).</summary>
    internal TimeSpan IdleConnectionLifetime { get; set; } = TimeSpan.FromSeconds(10);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop;
        }

        await ReleaseWriterAsync();
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_startLock)
        {
            _loop ??= Task.Run(LoopAsync);
        }
    }

    private async Task LoopAsync()
    {
        var batch = new List<Unit>(MaxBatch);
        while (await WaitForWorkAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var unit))
            {
                if (unit.Caller.IsCancellationRequested)
                {
                    unit.Cancel();
                }
                else
                {
                    batch.Add(unit);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            // A batch on a connection kept from earlier batches may fail only because that connection died meanwhile
            // (a database restart, an idle timeout): its units get a second run even when it had only one.
            var reusedConnection = _writer is not null;
            try
            {
                await RunBatchAsync(batch);
                AfterCommit([.. batch]);
            }
            catch (Exception e) when (batch.Count > 1 || reusedConnection)
            {
                logger.LogDebug(e, "A batch of {Count} writes failed; running each alone", batch.Count);
                foreach (var unit in batch)
                {
                    try
                    {
                        await RunBatchAsync([unit]);
                        AfterCommit([unit]);
                    }
                    catch (Exception alone)
                    {
                        unit.Fail(alone);
                    }
                }
            }
            catch (Exception e)
            {
                batch[0].Fail(e);
            }
        }
    }

    /// <summary>Answers the units of a committed batch: at once, or once the WAL flusher has put the commit on disk.</summary>
    private void AfterCommit(Unit[] units)
    {
        if (_flusher is not { } flusher)
        {
            Array.ForEach(units, u => u.Complete());
            return;
        }

        flusher.AfterCommit(error =>
        {
            foreach (var unit in units)
            {
                if (error is null)
                {
                    unit.Complete();
                }
                else
                {
                    unit.Fail(error);
                }
            }
        });
    }

    /// <summary>
    /// Waits for the next unit. The writer's connection stays open while units keep coming and is closed after
    /// <see cref="IdleConnectionLifetime"/> without any, so an idle server holds no database connection for it.
    /// </summary>
    private async ValueTask<bool> WaitForWorkAsync()
    {
        if (_writer is null || _queue.Reader.TryPeek(out _))
        {
            return await _queue.Reader.WaitToReadAsync();
        }

        using (var idle = new CancellationTokenSource(IdleConnectionLifetime))
        {
            try
            {
                return await _queue.Reader.WaitToReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (idle.IsCancellationRequested)
            {
            }
        }

        await ReleaseWriterAsync();
        return await _queue.Reader.WaitToReadAsync();
    }

    private async Task RunBatchAsync(List<Unit> units)
    {
        var db = _writer ??= await OpenWriterAsync();
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var unit in units)
            {
                await unit.RunAsync(db);
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }

            await transaction.CommitAsync();
        }
        catch
        {
            // After a failure the context or its connection may be in any state (a broken connection, a statement
            // left half-run): the next batch starts on a new one.
            await ReleaseWriterAsync();
            throw;
        }
    }

    /// <summary>
    /// The writer's context, with its connection opened for as long as the context lives: statements that
    /// <see cref="RowWriter"/> prepares stay prepared across batches, and SQLite keeps its page cache, which it empties
    /// whenever a connection finds the database changed by another connection since its last transaction.
    /// </summary>
    private async Task<CertitudeDbContext> OpenWriterAsync()
    {
        var db = await contexts.CreateDbContextAsync();
        try
        {
            await db.Database.OpenConnectionAsync();
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync($"PRAGMA cache_size = -{WriterCacheKibibytes}; PRAGMA wal_autocheckpoint = {WriterCheckpointPages};");
                _flusher = await WalFlusher.TryStartAsync(db.Database.GetDbConnection(), logger, CancellationToken.None);
                if (_flusher is not null)
                {
                    // The flusher checkpoints in the background; the writer's own checkpoints are only the fallback.
                    await db.Database.ExecuteSqlRawAsync($"PRAGMA wal_autocheckpoint = {FallbackCheckpointPages};");
                }
            }

            return db;
        }
        catch
        {
            await db.DisposeAsync();
            if (_flusher is { } flusher)
            {
                _flusher = null;
                await flusher.CloseAsync();
            }

            throw;
        }
    }

    private async Task ReleaseWriterAsync()
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync();
        }

        // After the connection: the last batches it committed are flushed and answered before the handle goes.
        if (_flusher is { } flusher)
        {
            _flusher = null;
            await flusher.CloseAsync();
        }
    }

    private abstract class Unit(CancellationToken caller)
    {
        public CancellationToken Caller { get; } = caller;

        public abstract Task RunAsync(CertitudeDbContext db);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class Unit<T>(Func<CertitudeDbContext, CancellationToken, Task<T>> work, CancellationToken caller) : Unit(caller)
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Once in a batch, the caller's cancellation no longer applies: the others' work must not be undone by it.
        public override async Task RunAsync(CertitudeDbContext db) => _result = await work(db, CancellationToken.None);

        public override void Complete() => Completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);

        public override void Cancel() => Completion.TrySetCanceled(Caller);
    }
}
