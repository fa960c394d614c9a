using Certitude.Features.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Authority;

internal sealed class IssuedCertificateConfiguration : IEntityTypeConfiguration<IssuedCertificate>
{
    public void Configure(EntityTypeBuilder<IssuedCertificate> builder)
    {
        builder.ToTable("issued_certificates");
        builder.HasKey(i => i.Id);
        builder.HasIndex(i => new { i.AuthorityId, i.SerialNumber }).IsUnique();
        builder.HasIndex(i => i.CertificateId).IsUnique();
        builder.HasIndex(i => i.SpkiSha256);
        builder.HasIndex(i => new { i.AuthorityId, i.RevokedAt });
        builder.Property(i => i.SerialNumber).HasMaxLength(128);
        builder.Property(i => i.SpkiSha256).HasMaxLength(64);
        builder.HasOne<CertificateAuthority>().WithMany().HasForeignKey(i => i.AuthorityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Certificate>().WithMany().HasForeignKey(i => i.CertificateId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CertificateRequestRecord>().WithMany().HasForeignKey(i => i.RequestId).OnDelete(DeleteBehavior.Restrict);
    }
}
