using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Discovery;

internal sealed class ScanRunConfiguration : IEntityTypeConfiguration<ScanRun>
{
    public void Configure(EntityTypeBuilder<ScanRun> builder)
    {
        builder.ToTable("scan_runs");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => new { e.DefinitionId, e.Id });
        builder.HasIndex(e => new { e.State, e.Id });
        builder.Property(e => e.Zone).HasMaxLength(DiscoveryLimits.MaxNameLength);
        builder.Property(e => e.Trigger).HasMaxLength(16);
        builder.Property(e => e.RequestedBy).HasMaxLength(256);
        builder.Property(e => e.Ports).HasMaxLength(DiscoveryLimits.MaxPortsLength);
        builder.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<ScanDefinition>().WithMany().HasForeignKey(e => e.DefinitionId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Organization.Division>().WithMany().HasForeignKey(e => e.DivisionId).OnDelete(DeleteBehavior.Restrict);
    }
}
