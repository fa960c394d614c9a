namespace Certitude.Features.Organization;

public static class OrganizationLimits
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 2048;
    public const int MaxDomainsPerDivision = 500;
    public const int MaxRangesPerDivision = 500;
    public const int MaxTreeDepth = 32;
}
