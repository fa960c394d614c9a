using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Inventory;

internal sealed class CertificateConfiguration : IEntityTypeConfiguration<Certificate>
{
    public void Configure(EntityTypeBuilder<Certificate> builder)
    {
        builder.ToTable("certificates");
        builder.HasKey(c => c.Id);
        builder.HasIndex(c => c.Sha256Fingerprint).IsUnique();
        builder.HasIndex(c => new { c.NotAfter, c.Id });
        builder.HasIndex(c => new { c.NotBefore, c.Id });
        builder.HasIndex(c => new { c.SubjectCommonName, c.Id });
        builder.HasIndex(c => new { c.IssuerCommonName, c.Id });
        builder.HasIndex(c => new { c.PublicKeyAlgorithm, c.NotAfter });
        builder.HasIndex(c => c.SubjectKeyIdentifier);
        builder.HasIndex(c => c.AuthorityKeyIdentifier);
        builder.HasIndex(c => c.SubjectHash);
        builder.HasIndex(c => c.IssuerCertificateId);

        builder.Property(c => c.Sha256Fingerprint).HasMaxLength(64);
        builder.Property(c => c.Sha1Fingerprint).HasMaxLength(40);
        builder.Property(c => c.SpkiSha256).HasMaxLength(64);
        builder.Property(c => c.SerialNumber).HasMaxLength(128);
        builder.Property(c => c.SubjectHash).HasMaxLength(32);
        builder.Property(c => c.IssuerHash).HasMaxLength(32);
        builder.Property(c => c.SubjectCommonName).HasMaxLength(512);
        builder.Property(c => c.IssuerCommonName).HasMaxLength(512);
        builder.Property(c => c.PublicKeyAlgorithm).HasMaxLength(64);
        builder.Property(c => c.Owner).HasMaxLength(256);
        builder.HasOne<Organization.Division>().WithMany().HasForeignKey(c => c.DivisionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.DivisionId, c.NotAfter, c.Id });
        builder.Property(c => c.Notes).HasMaxLength(InventoryLimits.MaxNotesLength);
        builder.Property(c => c.ValidationLevel).HasConversion<string>().HasMaxLength(32);

        builder.HasOne<Certificate>().WithMany().HasForeignKey(c => c.IssuerCertificateId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(c => c.Tags).WithOne().HasForeignKey(t => t.CertificateId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Sources).WithOne().HasForeignKey(s => s.CertificateId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.SearchKeys).WithOne().HasForeignKey(k => k.CertificateId).OnDelete(DeleteBehavior.Cascade);
        builder.HasQueryFilter(c => c.DeletedAt == null);
    }
}
