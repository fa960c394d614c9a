namespace Certitude.Features.Authority;

/// <summary>One approver's yes on a request.</summary>
public sealed class RequestApproval
{
    public long Id { get; set; }
    public long RequestId { get; set; }

    /// <summary>The approver's user id; null for the local CLI (the data folder's owner).</summary>
    public string? UserId { get; set; }

    public required string UserName { get; set; }

    /// <summary>"ui", "api", "cli" or "link" (the one-click link of the approval message).</summary>
    public required string Channel { get; set; }

    public DateTimeOffset ApprovedAt { get; set; }
}
