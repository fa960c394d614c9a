using System.Data.Common;
using Certitude.Data;
using Certitude.Data.PostgreSql;
using Certitude.Data.Sqlite;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Features.Organization;

/// <summary>Two server nodes over one database; the first counts the Entity Framework queries that read access state.</summary>
public abstract class AccessCacheFixture(DatabaseProvider provider) : IAsyncLifetime
{
    private CertitudeServer? _node;
    private CertitudeServer? _otherNode;

    public DatabaseProvider Provider { get; } = provider;

    public CertitudeServer Node => _node ?? throw new InvalidOperationException("not started");

    public CertitudeServer OtherNode => _otherNode ?? throw new InvalidOperationException("not started");

    public AccessQueryCounter Queries { get; } = new();

    public async ValueTask InitializeAsync()
    {
        _node = await CertitudeServer.StartAsync(Provider, builder =>
        {
            if (Provider == DatabaseProvider.Sqlite)
            {
                builder.Services.ConfigureDbContext<SqliteCertitudeDbContext>(o => o.AddInterceptors(Queries), ServiceLifetime.Singleton);
            }
            else
            {
                builder.Services.ConfigureDbContext<PostgreSqlCertitudeDbContext>(o => o.AddInterceptors(Queries), ServiceLifetime.Singleton);
            }
        });
        _otherNode = await _node.StartNodeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_otherNode is not null)
        {
            await _otherNode.DisposeAsync();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Counts queries that read divisions, users, role assignments, API keys or user claims.</summary>
    public sealed class AccessQueryCounter : DbCommandInterceptor
    {
        private static readonly string[] Tables = ["\"divisions\"", "\"api_keys\"", "\"role_assignments\"", "\"AspNetUsers\"", "\"AspNetUserClaims\""];
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Observe(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Observe(command);
            return ValueTask.FromResult(result);
        }

        private void Observe(DbCommand command)
        {
            if (Tables.Any(t => command.CommandText.Contains(t, StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}

public sealed class SqliteAccessCacheFixture() : AccessCacheFixture(DatabaseProvider.Sqlite);

public sealed class PostgreSqlAccessCacheFixture() : AccessCacheFixture(DatabaseProvider.PostgreSql);
