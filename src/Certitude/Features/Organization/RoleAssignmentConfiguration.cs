using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Organization;

internal sealed class RoleAssignmentConfiguration : IEntityTypeConfiguration<RoleAssignment>
{
    public void Configure(EntityTypeBuilder<RoleAssignment> builder)
    {
        builder.ToTable("role_assignments");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Role).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Source).HasMaxLength(16);
        builder.HasIndex(r => new { r.UserId, r.DivisionId, r.Role }).IsUnique();
        builder.HasIndex(r => r.DivisionId);
        builder.HasOne<CertitudeUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Division>().WithMany().HasForeignKey(r => r.DivisionId).OnDelete(DeleteBehavior.Cascade);
    }
}
