using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Inventory;

internal sealed class CertificateSearchKeyConfiguration : IEntityTypeConfiguration<CertificateSearchKey>
{
    public void Configure(EntityTypeBuilder<CertificateSearchKey> builder)
    {
        builder.ToTable("certificate_search_keys");
        builder.HasKey(k => new { k.Key, k.CertificateId });
        builder.HasIndex(k => k.CertificateId);
        builder.Property(k => k.Key).HasMaxLength(InventoryLimits.MaxSearchKeyLength);
    }
}
