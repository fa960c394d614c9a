using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Discovery;

internal sealed class ScanDefinitionConfiguration : IEntityTypeConfiguration<ScanDefinition>
{
    public void Configure(EntityTypeBuilder<ScanDefinition> builder)
    {
        builder.ToTable("scan_definitions");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => e.Name).IsUnique();
        builder.HasIndex(e => new { e.Enabled, e.NextRunAt });
        builder.Property(e => e.Name).HasMaxLength(DiscoveryLimits.MaxNameLength);
        builder.Property(e => e.Ports).HasMaxLength(DiscoveryLimits.MaxPortsLength);
        builder.Property(e => e.Schedule).HasMaxLength(128);
        builder.Property(e => e.Zone).HasMaxLength(DiscoveryLimits.MaxNameLength);
        builder.Property(e => e.CreatedBy).HasMaxLength(256);
        builder.HasOne<Organization.Division>().WithMany().HasForeignKey(e => e.DivisionId).OnDelete(DeleteBehavior.Restrict);
    }
}
