using Certitude.Data.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Certitude.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL model; no server is contacted.</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlCertitudeDbContext>
{
    public PostgreSqlCertitudeDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgreSqlCertitudeDbContext>();
        StorageRegistration.ConfigurePostgreSql(options, "Host=localhost;Database=certitude_design");
        return new PostgreSqlCertitudeDbContext(options.Options);
    }
}
