using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Inventory;

internal sealed class CertificateSourceConfiguration : IEntityTypeConfiguration<CertificateSource>
{
    public void Configure(EntityTypeBuilder<CertificateSource> builder)
    {
        builder.ToTable("certificate_sources");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Kind).HasMaxLength(32);
        builder.Property(s => s.Location).HasMaxLength(2048);
        builder.Property(s => s.Actor).HasMaxLength(256);
        builder.HasIndex(s => new { s.CertificateId, s.Kind, s.Location }).IsUnique();
    }
}
