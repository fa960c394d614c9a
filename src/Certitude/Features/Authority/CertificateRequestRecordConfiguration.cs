using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Authority;

internal sealed class CertificateRequestRecordConfiguration : IEntityTypeConfiguration<CertificateRequestRecord>
{
    public void Configure(EntityTypeBuilder<CertificateRequestRecord> builder)
    {
        builder.ToTable("certificate_requests");
        builder.HasKey(r => r.Id);
        builder.HasIndex(r => new { r.State, r.DivisionId, r.Id });
        builder.HasIndex(r => new { r.DivisionId, r.Id });
        builder.HasIndex(r => new { r.RequesterId, r.Id });
        builder.Property(r => r.Profile).HasMaxLength(64);
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.CommonName).HasMaxLength(AuthorityLimits.MaxNameValueLength);
        builder.Property(r => r.KeyDescription).HasMaxLength(64);
        builder.Property(r => r.Owner).HasMaxLength(InventoryLimits.MaxOwnerLength);
        builder.Property(r => r.Comments).HasMaxLength(AuthorityLimits.MaxCommentsLength);
        builder.Property(r => r.RequesterId).HasMaxLength(64);
        builder.Property(r => r.RequesterName).HasMaxLength(256);
        builder.Property(r => r.RejectionReason).HasMaxLength(AuthorityLimits.MaxCommentsLength);
        builder.Property(r => r.FailureReason).HasMaxLength(AuthorityLimits.MaxCommentsLength);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasOne<Division>().WithMany().HasForeignKey(r => r.DivisionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CertificateAuthority>().WithMany().HasForeignKey(r => r.AuthorityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Certificate>().WithMany().HasForeignKey(r => r.CertificateId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Certificate>().WithMany().HasForeignKey(r => r.ReplacesCertificateId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(r => r.Approvals).WithOne().HasForeignKey(a => a.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
