using System.Diagnostics;

namespace Certitude.Pki.Tests.Support;

/// <summary>Runs a peer program (openssl, bash) with a time limit; a non-zero exit or a timeout fails the test with stderr.</summary>
internal static class ProcessRunner
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        byte[]? standardInput = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', [fileName, .. startInfo.ArgumentList]);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout ?? DefaultTimeout);

        var output = new MemoryStream();
        var outputTask = process.StandardOutput.BaseStream.CopyToAsync(output, limit.Token);
        var errorTask = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            // stdin is written while stdout is drained so a large input cannot deadlock against a full pipe.
            if (standardInput is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(standardInput, limit.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(limit.Token);
            await outputTask;
            var error = await errorTask;
            if (process.ExitCode != 0)
            {
                Assert.Fail($"`{Shorten(commandLine)}` exited with {process.ExitCode}:\n{error}");
            }

            return new ProcessResult(output.ToArray(), error);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{Shorten(commandLine)}` did not finish within {(timeout ?? DefaultTimeout).TotalSeconds} s");
            throw;
        }
    }

    private static string Shorten(string commandLine)
    {
        return commandLine.Length <= 500 ? commandLine : commandLine[..500] + " …";
    }
}
