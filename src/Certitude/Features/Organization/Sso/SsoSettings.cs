namespace Certitude.Features.Organization.Sso;

/// <summary>Single sign-on through an OpenID Connect provider (Entra ID, Okta, Keycloak, Google...). One row.</summary>
public sealed class SsoSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public bool Enabled { get; set; }

    /// <summary>What the sign-in button says: "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>The provider's issuer URL; its /.well-known/openid-configuration is read from there.</summary>
    public string? Authority { get; set; }
    public string? ClientId { get; set; }

    /// <summary>The client secret, encrypted with the data protection keys of the data folder; never returned.</summary>
    public string? ProtectedClientSecret { get; set; }

    public List<string> Scopes { get; set; } = ["openid", "profile", "email"];

    /// <summary>The claim of the ID token that lists the user's groups.</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>Which provider group grants which role on which division, as JSON (see <see cref="SsoGroupMapping"/>).</summary>
    public List<SsoGroupMapping> Mappings { get; set; } = [];

    /// <summary>When set, password sign-in is refused: everyone comes through the provider.</summary>
    public bool DisableLocalLogin { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
