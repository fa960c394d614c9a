namespace Certitude.Features.Audit;

/// <summary>Who is acting, as the audit log records it.</summary>
/// <param name="Kind">user, api-key, system or cli.</param>
/// <param name="Id">User id (for API keys, the key's owner), or null.</param>
/// <param name="Name">User name, key name, or the OS user of a local CLI.</param>
/// <param name="SourceAddress">Remote address for HTTP callers.</param>
public sealed record Actor(string Kind, string? Id, string Name, string? SourceAddress = null)
{
    public static Actor System { get; } = new("system", null, "system");

    /// <summary>A local CLI command, acting as the data folder's owner.</summary>
    public static Actor Cli() => new("cli", null, $"cli:{Environment.UserName}");
}
