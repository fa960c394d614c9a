using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Discovery;

internal sealed class EndpointObservationConfiguration : IEntityTypeConfiguration<EndpointObservation>
{
    public void Configure(EntityTypeBuilder<EndpointObservation> builder)
    {
        builder.ToTable("endpoint_observations");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => new { e.EndpointId, e.RunId }).IsUnique();
        builder.HasIndex(e => e.RunId);
        builder.Property(e => e.Sha256Fingerprint).HasMaxLength(64);
        builder.Property(e => e.Protocol).HasMaxLength(16);
        builder.Property(e => e.CipherSuite).HasMaxLength(96);
        builder.Property(e => e.Failure).HasMaxLength(32);
        builder.Property(e => e.Error).HasMaxLength(DiscoveryLimits.MaxErrorLength);
        builder.HasOne<DiscoveredEndpoint>().WithMany().HasForeignKey(e => e.EndpointId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ScanRun>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
