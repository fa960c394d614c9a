using System.ComponentModel.DataAnnotations;

namespace Certitude.Features.Organization.Sso;

/// <summary>The settings as shown: the client secret only as whether one is set.</summary>
public sealed record SsoSettingsDto(bool Enabled, string DisplayName, string? Authority, string? ClientId, bool HasClientSecret,
    IReadOnlyList<string> Scopes, string GroupsClaim, IReadOnlyList<SsoGroupMapping> Mappings, bool DisableLocalLogin);

/// <summary>New settings; a null <see cref="ClientSecret"/> keeps the stored one.</summary>
public sealed record SsoSettingsInput
{
    public bool Enabled { get; init; }

    [StringLength(64)]
    public string? DisplayName { get; init; }

    [StringLength(512)]
    public string? Authority { get; init; }

    [StringLength(256)]
    public string? ClientId { get; init; }

    [StringLength(1024)]
    public string? ClientSecret { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    [StringLength(128)]
    public string? GroupsClaim { get; init; }

    public IReadOnlyList<SsoGroupMapping>? Mappings { get; init; }
    public bool DisableLocalLogin { get; init; }
}
