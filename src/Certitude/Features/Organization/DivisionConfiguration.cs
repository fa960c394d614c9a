using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Organization;

internal sealed class DivisionConfiguration : IEntityTypeConfiguration<Division>
{
    public void Configure(EntityTypeBuilder<Division> builder)
    {
        builder.ToTable("divisions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Name).HasMaxLength(OrganizationLimits.MaxNameLength);
        builder.Property(d => d.Description).HasMaxLength(OrganizationLimits.MaxDescriptionLength);
        builder.Property(d => d.Contacts).HasMaxLength(OrganizationLimits.MaxDescriptionLength);
        builder.Property(d => d.ApprovalPolicy).HasConversion<string>().HasMaxLength(32);
        builder.Property(d => d.DefaultAuthority).HasMaxLength(128);
        builder.Property(d => d.DefaultProfile).HasMaxLength(128);
        builder.HasOne<Division>().WithMany().HasForeignKey(d => d.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.ParentId, d.Name }).IsUnique();
    }
}
