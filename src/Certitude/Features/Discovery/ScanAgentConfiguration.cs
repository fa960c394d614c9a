using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Discovery;

internal sealed class ScanAgentConfiguration : IEntityTypeConfiguration<ScanAgent>
{
    public void Configure(EntityTypeBuilder<ScanAgent> builder)
    {
        builder.ToTable("scan_agents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Name).HasMaxLength(DiscoveryLimits.MaxNameLength);
        builder.Property(e => e.Zone).HasMaxLength(DiscoveryLimits.MaxNameLength);
        builder.Property(e => e.Version).HasMaxLength(64);
        builder.Property(e => e.SecretHash).HasMaxLength(32);
        builder.Property(e => e.LastAddress).HasMaxLength(64);
    }
}
