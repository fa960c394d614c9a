namespace Certitude.Pki.Tests.Support;

/// <summary>GnuTLS's certtool (Debian gnutls-bin), a second, independent certificate path validator.</summary>
internal static class CertTool
{
    public const string Executable = "/usr/bin/certtool";

    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        return ProcessRunner.RunAsync(Executable, arguments, workingDirectory: workingDirectory);
    }
}
