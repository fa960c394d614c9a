using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Certitude.Data.Sqlite;

/// <summary>The embedded default: one SQLite file in the data folder.</summary>
public sealed class SqliteCertitudeDbContext(DbContextOptions<SqliteCertitudeDbContext> options) : CertitudeDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type and EF cannot order or compare DateTimeOffset stored as text;
        // a 64-bit integer keeps comparisons, ordering and indexes working.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
