using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Discovery;

internal sealed class DiscoveredEndpointConfiguration : IEntityTypeConfiguration<DiscoveredEndpoint>
{
    public void Configure(EntityTypeBuilder<DiscoveredEndpoint> builder)
    {
        builder.ToTable("discovered_endpoints");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => new { e.Address, e.Port, e.HostName }).IsUnique();
        builder.HasIndex(e => new { e.DivisionId, e.Id });
        builder.HasIndex(e => e.CertificateId);
        builder.Property(e => e.Address).HasMaxLength(45);
        builder.Property(e => e.HostName).HasMaxLength(253);
        builder.Property(e => e.StartTls).HasMaxLength(16);
        builder.Property(e => e.Sha256Fingerprint).HasMaxLength(64);
        builder.Property(e => e.Protocol).HasMaxLength(16);
        builder.Property(e => e.CipherSuite).HasMaxLength(96);
        builder.Property(e => e.Failure).HasMaxLength(32);
        builder.Property(e => e.Error).HasMaxLength(DiscoveryLimits.MaxErrorLength);
        builder.Property(e => e.Trust).HasMaxLength(16);
        builder.HasOne<Organization.Division>().WithMany().HasForeignKey(e => e.DivisionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Inventory.Certificate>().WithMany().HasForeignKey(e => e.CertificateId).OnDelete(DeleteBehavior.SetNull);
    }
}
