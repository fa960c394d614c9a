namespace Certitude.Features.Organization.Sso;

/// <summary>Members of <paramref name="Group"/> at the provider hold <paramref name="Role"/> on <paramref name="DivisionId"/>.</summary>
public sealed record SsoGroupMapping(string Group, long DivisionId, OrganizationRole Role);
