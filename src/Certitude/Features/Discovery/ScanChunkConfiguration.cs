using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Discovery;

internal sealed class ScanChunkConfiguration : IEntityTypeConfiguration<ScanChunk>
{
    public void Configure(EntityTypeBuilder<ScanChunk> builder)
    {
        builder.ToTable("scan_chunks");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => new { e.RunId, e.Sequence }).IsUnique();
        builder.HasIndex(e => new { e.Zone, e.State, e.Id });
        builder.Property(e => e.Zone).HasMaxLength(DiscoveryLimits.MaxNameLength);
        builder.Property(e => e.LeaseHolder).HasMaxLength(64);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<ScanRun>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
