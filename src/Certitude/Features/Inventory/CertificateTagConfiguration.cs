using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Inventory;

internal sealed class CertificateTagConfiguration : IEntityTypeConfiguration<CertificateTag>
{
    public void Configure(EntityTypeBuilder<CertificateTag> builder)
    {
        builder.ToTable("certificate_tags");
        builder.HasKey(t => new { t.CertificateId, t.Name });
        builder.HasIndex(t => new { t.Name, t.CertificateId });
        builder.Property(t => t.Name).HasMaxLength(InventoryLimits.MaxTagLength);
    }
}
