namespace Certitude.Cli;

/// <summary>Process exit codes, the same for every command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran but part of its work failed (e.g. some files of an import).</summary>
    public const int PartialFailure = 1;

    /// <summary>Bad usage or input: nothing was done.</summary>
    public const int UsageError = 2;

    /// <summary>The target was not found.</summary>
    public const int NotFound = 3;

    /// <summary>The server refused or could not be reached, or the database failed.</summary>
    public const int Unavailable = 4;
}
