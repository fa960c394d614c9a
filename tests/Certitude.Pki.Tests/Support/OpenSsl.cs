namespace Certitude.Pki.Tests.Support;

/// <summary>The openssl command line tool (Debian's OpenSSL 3.0), the reference these tests compare against.</summary>
internal static class OpenSsl
{
    public const string Executable = "/usr/bin/openssl";

    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        return ProcessRunner.RunAsync(Executable, arguments, workingDirectory: workingDirectory);
    }

    /// <summary>Runs a bash script (with errexit and pipefail) for pipelines such as pubkey | pkey | dgst.</summary>
    public static Task<ProcessResult> ScriptAsync(string workingDirectory, string script, TimeSpan? timeout = null)
    {
        return ProcessRunner.RunAsync("/bin/bash", ["-c", "set -euo pipefail\n" + script], workingDirectory: workingDirectory, timeout: timeout);
    }

    /// <summary>Quotes a value for a bash script.</summary>
    public static string Quote(string value)
    {
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
