using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Certitude.Data;

/// <summary>
/// Makes the group-commit writer's SQLite commits durable outside SQLite's write lock. The writer's connection commits
/// with <c>synchronous=NORMAL</c>: COMMIT writes the transaction's WAL frames and returns without waiting for the disk.
/// This class then flushes the WAL file (fsync on a handle of its own) on a thread of its own, and only after that
/// flush reports the batches committed before it as done. Their callers therefore still get an answer only once their
/// work is on disk, as with <c>synchronous=FULL</c>, but the writer already runs the next batch while the disk flushes
/// the previous ones: one flush covers every batch committed while the one before it was running.
/// </summary>
/// <remarks>
/// fsync on any descriptor of a file flushes all of that file's written data (Linux), so the frames SQLite wrote
/// through its own descriptor are on disk once this flush returns. SQLite takes no locks on the WAL file itself (they
/// are on the database and -shm files), so holding and closing this descriptor cannot drop one of its locks; it is
/// closed only after the writer's connection. A process that is killed loses nothing either way (the frames are in the
/// kernel's page cache); a power cut loses at most commits whose callers have not been answered.
/// <para>
/// A second thread checkpoints (copies the WAL back into the database) every <see cref="CheckpointInterval"/>
/// while commits come, on a connection of its own and in PASSIVE mode, which never blocks the writer; a checkpoint
/// copies each page once however often it changed, so the longer interval writes fewer pages back. Left to the
/// writer's connection, each checkpoint (thousands of pages and two fsyncs, with SQLite's own syncs: WAL before,
/// database after) stalled the writer and with it every caller. See docs/decisions/0008-wal-flush-outside-the-write-lock.md.
/// </para>
/// </remarks>
internal sealed class WalFlusher
{
    /// <summary>How often the flusher checkpoints while commits come.</summary>
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    private readonly FileStream _wal;
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _checkpointerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<Action<Exception?>> _pending = [];
    private bool _closing;
    private bool _committedSinceCheckpoint;

    private WalFlusher(FileStream wal, string connectionString, ILogger logger)
    {
        _wal = wal;
        _connectionString = connectionString;
        _logger = logger;
        new Thread(Run) { IsBackground = true, Name = "certitude-wal-flush" }.Start();
        new Thread(RunCheckpoints) { IsBackground = true, Name = "certitude-wal-checkpoint" }.Start();
    }

    /// <summary>
    /// Switches <paramref name="connection"/> (open, SQLite, WAL mode, a database file) to synchronous=NORMAL and
    /// returns the flusher of its WAL file; null, leaving the connection as it was, when that cannot be done (an
    /// in-memory or temporary database, another journal mode, an operating system where fsync on another descriptor
    /// is not known to flush SQLite's writes).
    /// </summary>
    public static async Task<WalFlusher?> TryStartAsync(DbConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // Reading the journal mode starts a read transaction, which creates the WAL file if it is not there yet.
        if (!string.Equals(await ScalarAsync(connection, "PRAGMA journal_mode", cancellationToken), "wal", StringComparison.OrdinalIgnoreCase)
            || await ScalarAsync(connection, "SELECT file FROM pragma_database_list WHERE name = 'main'", cancellationToken) is not { Length: > 0 } file)
        {
            return null;
        }

        FileStream wal;
        try
        {
            // Opened for writing only because FileStream flushes to disk only streams it may write; nothing is written.
            wal = new FileStream(file + "-wal", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "The SQLite WAL file of {Database} cannot be opened for flushing; commits of the issuance writer wait for the disk inside the write lock", file);
            return null;
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA synchronous = NORMAL";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new WalFlusher(wal, connection.ConnectionString, logger);
    }

    /// <summary>
    /// Calls <paramref name="done"/> once everything committed so far is on disk (with null), or with the error of the
    /// flush that should have put it there (the work is committed, but its durability is unknown).
    /// </summary>
    public void AfterCommit(Action<Exception?> done)
    {
        lock (_lock)
        {
            if (_closing)
            {
                throw new InvalidOperationException("The WAL flusher is closed.");
            }

            _pending.Add(done);
            _committedSinceCheckpoint = true;
            if (_pending.Count == 1)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Flushes what is pending, reports it, and closes the WAL handle. Call after closing the writer's connection.</summary>
    public Task CloseAsync()
    {
        lock (_lock)
        {
            _closing = true;
            Monitor.PulseAll(_lock);
        }

        return Task.WhenAll(_closed.Task, _checkpointerStopped.Task);
    }

    private static async Task<string?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                List<Action<Exception?>> batch;
                lock (_lock)
                {
                    while (_pending.Count == 0 && !_closing)
                    {
                        Monitor.Wait(_lock);
                    }

                    if (_pending.Count == 0)
                    {
                        break;
                    }

                    batch = _pending;
                    _pending = [];
                }

                Exception? error = null;
                try
                {
                    _wal.Flush(flushToDisk: true);
                }
                catch (IOException e)
                {
                    _logger.LogError(e, "Flushing the SQLite WAL file failed; {Count} committed batches are reported as failed", batch.Count);
                    error = new IOException("The change was committed, but flushing it to disk failed: it may not survive a power cut.", e);
                }

                foreach (var done in batch)
                {
                    done(error);
                }
            }
        }
        finally
        {
            _wal.Dispose();
            _closed.TrySetResult();
        }
    }

    private void RunCheckpoints()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                lock (_lock)
                {
                    // The flush thread's signals wake this one too: wait out the whole interval regardless.
                    var deadline = Environment.TickCount64 + (long)CheckpointInterval.TotalMilliseconds;
                    for (var left = deadline - Environment.TickCount64; !_closing && left > 0; left = deadline - Environment.TickCount64)
                    {
                        Monitor.Wait(_lock, TimeSpan.FromMilliseconds(left));
                    }

                    if (_closing)
                    {
                        break;
                    }

                    if (!_committedSinceCheckpoint)
                    {
                        continue;
                    }

                    _committedSinceCheckpoint = false;
                }

                connection = Checkpoint(connection);
            }
        }
        finally
        {
            connection?.Dispose();
            _checkpointerStopped.TrySetResult();
        }
    }

    /// <summary>A PASSIVE checkpoint: copies what no reader still needs, waits for nobody. Returns the connection to reuse.</summary>
    private SqliteConnection? Checkpoint(SqliteConnection? connection)
    {
        try
        {
            if (connection is null)
            {
                connection = new SqliteConnection(_connectionString);
                connection.Open();
            }

            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            command.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException e)
        {
            // The writer's own automatic checkpoints remain as a fallback; try again next time on a new connection.
            _logger.LogDebug(e, "A background WAL checkpoint failed");
            connection?.Dispose();
            return null;
        }
    }
}
