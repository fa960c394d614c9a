using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Discovery;

internal sealed class DiscoveryChangeConfiguration : IEntityTypeConfiguration<DiscoveryChange>
{
    public void Configure(EntityTypeBuilder<DiscoveryChange> builder)
    {
        builder.ToTable("discovery_changes");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => new { e.RunId, e.EndpointId, e.Kind }).IsUnique();
        builder.HasIndex(e => new { e.DivisionId, e.Id });
        builder.Property(e => e.Kind).HasMaxLength(32);
        builder.HasOne<DiscoveredEndpoint>().WithMany().HasForeignKey(e => e.EndpointId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ScanRun>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
