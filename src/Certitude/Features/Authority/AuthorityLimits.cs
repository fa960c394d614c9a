namespace Certitude.Features.Authority;

/// <summary>Input limits of the managed PKI, one place for the API, the UI and the CLI.</summary>
public static class AuthorityLimits
{
    public const int MaxNameLength = 64;
    public const int MaxDescriptionLength = 1024;
    public const int MaxCommentsLength = 2048;
    public const int MaxNameValueLength = 253;
    public const int MaxNamesPerRequest = 100;
    public const int MaxCsrBytes = 64 * 1024;
    public const int MaxKeyFileBytes = 64 * 1024;
    public const int MaxPfxPasswordLength = 256;
    public const int MinPfxPasswordLength = 8;
    public const int MaxPageSize = 500;
}
