namespace Certitude.Features.Discovery;

/// <summary>A token an administrator hands to agents of one zone so they can register (reusable until it expires or is revoked).</summary>
public sealed class AgentEnrollmentToken
{
    public long Id { get; set; }
    public required string Zone { get; set; }
    public required byte[] TokenHash { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public bool Revoked { get; set; }
}
