namespace Certitude.Features.Organization;

/// <summary>What checking a presented API key needs, as of one access stamp (<see cref="AccessCache"/>). Revocation and
/// expiry are kept as data: the clock is checked on every use.</summary>
internal sealed record CachedApiKey(Guid Id, string UserId, byte[] SecretHash, DateTimeOffset? RevokedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, string? LastUsedFrom)
{
    /// <summary>How stale the recorded last use may get (it is shown to people, not used for decisions).</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && !(ExpiresAt <= now);

    /// <summary>A use now from <paramref name="address"/> is worth writing down.</summary>
    public bool UseIsNews(DateTimeOffset now, string? address) =>
        LastUsedAt is not { } last || now - last > LastUsedResolution || LastUsedFrom != address;
}
