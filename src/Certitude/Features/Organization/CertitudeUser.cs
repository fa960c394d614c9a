using Microsoft.AspNetCore.Identity;

namespace Certitude.Features.Organization;

/// <summary>A person (or later a service account) who signs in to Certitude.</summary>
public sealed class CertitudeUser : IdentityUser
{
    /// <summary>Set for the first-run administrator, whose generated password was printed once:
    /// the UI asks for a new one before anything else.</summary>
    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A non-human account for an integration: signs in only with API keys.</summary>
    public bool IsServiceAccount { get; set; }

    /// <summary>When the account stops working (guests); null for no end. Checked on every request, so sessions
    /// and API keys of an expired guest stop at once.</summary>
    public DateTimeOffset? AccessExpiresAt { get; set; }

    public string? DisplayName { get; set; }
}
