using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Inventory;

internal sealed class CertificateSearchKeyConfiguration : IEntityTypeConfiguration<CertificateSearchKey>
{
    public void Configure(EntityTypeBuilder<CertificateSearchKey> builder)
    {
        builder.ToTable("certificate_search_keys");
        // (Key, CertificateId) is unique on its own: the dates follow from the certificate. They are part of the key
        // so that its index covers a text search in date order on both databases (SQLite has no INCLUDE columns).
        builder.HasKey(k => new { k.Key, k.CertificateId, k.NotAfter, k.NotBefore });
        builder.HasIndex(k => k.CertificateId);
        builder.Property(k => k.Key).HasMaxLength(InventoryLimits.MaxSearchKeyLength);
    }
}
