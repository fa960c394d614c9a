namespace Certitude.Features.Audit;

public static class AuditLimits
{
    public const int MaxDetailsLength = 8192;
    public const int MaxPageSize = 1000;
}
