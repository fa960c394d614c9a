using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Discovery;

internal sealed class AgentEnrollmentTokenConfiguration : IEntityTypeConfiguration<AgentEnrollmentToken>
{
    public void Configure(EntityTypeBuilder<AgentEnrollmentToken> builder)
    {
        builder.ToTable("agent_enrollment_tokens");
        builder.HasKey(e => e.Id);
        builder.HasIndex(e => e.TokenHash).IsUnique();
        builder.Property(e => e.Zone).HasMaxLength(DiscoveryLimits.MaxNameLength);
        builder.Property(e => e.TokenHash).HasMaxLength(32);
        builder.Property(e => e.CreatedBy).HasMaxLength(256);
    }
}
