namespace Certitude.Features.Authority;

/// <summary>A server-generated private key handed to one user: each authorized user gets it once.</summary>
public sealed class KeyDownload
{
    public long Id { get; set; }
    public long RequestId { get; set; }
    public required string UserKey { get; set; }
    public DateTimeOffset DownloadedAt { get; set; }
}
