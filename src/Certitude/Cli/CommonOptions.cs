using System.CommandLine;

namespace Certitude.Cli;

/// <summary>Options every command understands (recursive on the root command).</summary>
internal static class CommonOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data folder (default ./certitude-data, or CERTITUDE_DATA)",
        Recursive = true,
    };

    public static readonly Option<string?> Database = new("--database")
    {
        Description = "Database connection string: SQLite by default; PostgreSQL for 'Host=...' or postgres:// (or CERTITUDE_DATABASE)",
        Recursive = true,
    };

    public static readonly Option<string?> Server = new("--server")
    {
        Description = "Act on a remote Certitude server at this URL instead of the local data folder (or CERTITUDE_SERVER)",
        Recursive = true,
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "API key for --server (or CERTITUDE_API_KEY)",
        Recursive = true,
    };

    public static readonly Option<OutputFormat> Format = new("--format")
    {
        Description = "Output format",
        DefaultValueFactory = _ => OutputFormat.Table,
    };
}
