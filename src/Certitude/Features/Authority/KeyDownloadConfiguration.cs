using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Authority;

internal sealed class KeyDownloadConfiguration : IEntityTypeConfiguration<KeyDownload>
{
    public void Configure(EntityTypeBuilder<KeyDownload> builder)
    {
        builder.ToTable("key_downloads");
        builder.HasKey(k => k.Id);
        builder.HasIndex(k => new { k.RequestId, k.UserKey }).IsUnique();
        builder.Property(k => k.UserKey).HasMaxLength(256);
        builder.HasOne<CertificateRequestRecord>().WithMany().HasForeignKey(k => k.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}
