using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Discovery;

internal sealed class DiscoverySettingsConfiguration : IEntityTypeConfiguration<DiscoverySettings>
{
    public void Configure(EntityTypeBuilder<DiscoverySettings> builder)
    {
        builder.ToTable("discovery_settings");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
    }
}
