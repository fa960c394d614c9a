using Certitude.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Certitude.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model without a running app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCertitudeDbContext>
{
    public SqliteCertitudeDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteCertitudeDbContext>();
        StorageRegistration.ConfigureSqlite(options, "Data Source=design-time.db");
        return new SqliteCertitudeDbContext(options.Options);
    }
}
