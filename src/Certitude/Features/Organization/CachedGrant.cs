namespace Certitude.Features.Organization;

/// <summary>
/// What a user, or one of their API keys, may do as of one access stamp (<see cref="AccessCache"/>): the scope without
/// a source address, and the facts that end it with time (guest expiry, lockout, key expiry), checked on every use.
/// </summary>
internal sealed record CachedGrant(AccessScope Scope, DateTimeOffset? AccessExpiresAt, DateTimeOffset? LockoutEnd, bool KeyRevoked,
    DateTimeOffset? KeyExpiresAt)
{
    public bool IsUsableAt(DateTimeOffset now) =>
        !(AccessExpiresAt <= now) && !(LockoutEnd > now) && !KeyRevoked && !(KeyExpiresAt <= now);
}
