using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Certitude.Features.Organization.Sso;

internal sealed class SsoSettingsConfiguration : IEntityTypeConfiguration<SsoSettings>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<SsoSettings> builder)
    {
        builder.ToTable("sso_settings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.DisplayName).HasMaxLength(64);
        builder.Property(s => s.Authority).HasMaxLength(512);
        builder.Property(s => s.ClientId).HasMaxLength(256);
        builder.Property(s => s.ProtectedClientSecret).HasMaxLength(4096);
        builder.Property(s => s.GroupsClaim).HasMaxLength(128);
        builder.Property(s => s.Mappings)
            .HasConversion(
                mappings => JsonSerializer.Serialize(mappings, Json),
                text => JsonSerializer.Deserialize<List<SsoGroupMapping>>(text, Json) ?? new List<SsoGroupMapping>())
            .Metadata.SetValueComparer(new ValueComparer<List<SsoGroupMapping>>(
                (a, b) => a!.SequenceEqual(b!), list => list.Aggregate(0, (hash, m) => HashCode.Combine(hash, m.GetHashCode())), list => list.ToList()));
    }
}
