using Certitude.Data.PostgreSql;
using Certitude.Data.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Data;

public static class StorageRegistration
{
    /// <summary>
    /// Registers the provider's context behind <see cref="CertitudeDbContext"/>: a factory for services
    /// (one context per operation, safe in long-lived Blazor circuits) and a scoped context for Identity.
    /// </summary>
    public static IServiceCollection AddCertitudeStorage(this IServiceCollection services, StorageSettings settings)
    {
        services.AddSingleton(settings);
        // Every context of both providers moves the access stamp with changes to access state (decision 0005).
        services.AddSingleton<AccessStampInterceptor>();
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            services.AddDbContextFactory<SqliteCertitudeDbContext>((sp, o) =>
                ConfigureSqlite(o, settings.ConnectionString).AddInterceptors(sp.GetRequiredService<AccessStampInterceptor>()));
            services.AddSingleton<IDbContextFactory<CertitudeDbContext>, DerivedContextFactory<SqliteCertitudeDbContext>>();
        }
        else
        {
            services.AddDbContextFactory<PostgreSqlCertitudeDbContext>((sp, o) =>
                ConfigurePostgreSql(o, settings.ConnectionString).AddInterceptors(sp.GetRequiredService<AccessStampInterceptor>()));
            services.AddSingleton<IDbContextFactory<CertitudeDbContext>, DerivedContextFactory<PostgreSqlCertitudeDbContext>>();
        }

        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContext());

        // Cookie, anti-forgery and password-reset token keys live in the data folder: sessions survive restarts,
        // and the local CLI and the server agree on them.
        services.AddDataProtection()
            .SetApplicationName("certitude")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(settings.DataDirectory, "keys")));
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<GroupCommit>();
        return services;
    }

    internal static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(CertitudeDbContext).Assembly.GetName().Name));

    internal static DbContextOptionsBuilder ConfigurePostgreSql(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(CertitudeDbContext).Assembly.GetName().Name));

    private sealed class DerivedContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<CertitudeDbContext>
        where TContext : CertitudeDbContext
    {
        public CertitudeDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
