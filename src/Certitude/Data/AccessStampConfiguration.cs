using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Data;

internal sealed class AccessStampConfiguration : IEntityTypeConfiguration<AccessStamp>
{
    public void Configure(EntityTypeBuilder<AccessStamp> builder)
    {
        builder.ToTable("access_stamps");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasData(new AccessStamp { Id = AccessStamp.RowId, Value = 0 });
    }
}
