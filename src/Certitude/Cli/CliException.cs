namespace Certitude.Cli;

/// <summary>A failure to report as one readable line and an exit code, without a stack trace.</summary>
internal sealed class CliException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
