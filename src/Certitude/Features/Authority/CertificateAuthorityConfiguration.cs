using Certitude.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Authority;

internal sealed class CertificateAuthorityConfiguration : IEntityTypeConfiguration<CertificateAuthority>
{
    public void Configure(EntityTypeBuilder<CertificateAuthority> builder)
    {
        builder.ToTable("certificate_authorities");
        builder.HasKey(a => a.Id);
        builder.HasIndex(a => a.Name).IsUnique();
        builder.Property(a => a.Name).HasMaxLength(AuthorityLimits.MaxNameLength);
        builder.Property(a => a.Description).HasMaxLength(AuthorityLimits.MaxDescriptionLength);
        builder.Property(a => a.Connector).HasMaxLength(64);
        builder.Property(a => a.Subject).HasMaxLength(2048);
        builder.Property(a => a.KeyAlgorithm).HasMaxLength(64);
        builder.Property(a => a.KeyStore).HasMaxLength(64);
        builder.HasOne<CertificateAuthority>().WithMany().HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Certificate>().WithMany().HasForeignKey(a => a.InventoryCertificateId).OnDelete(DeleteBehavior.Restrict);
    }
}
