using Microsoft.EntityFrameworkCore;

namespace Certitude.Data.PostgreSql;

/// <summary>The production backend, shared by any number of <c>certitude serve</c> nodes.</summary>
public sealed class PostgreSqlCertitudeDbContext(DbContextOptions<PostgreSqlCertitudeDbContext> options) : CertitudeDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Search keys and tags are compared byte-wise so prefix ranges use the index whatever the database's locale.
        builder.Entity<Features.Inventory.CertificateSearchKey>().Property(k => k.Key).UseCollation("C");
        builder.Entity<Features.Inventory.CertificateTag>().Property(t => t.Name).UseCollation("C");
    }
}
