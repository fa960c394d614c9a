using Microsoft.AspNetCore.Identity;

namespace Certitude.Features.Organization;

/// <summary>A person (or later a service account) who signs in to Certitude.</summary>
public sealed class CertitudeUser : IdentityUser
{
    /// <summary>Set for the first-run administrator, whose generated password was printed once:
    /// the UI asks for a new one before anything else.</summary>
    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
