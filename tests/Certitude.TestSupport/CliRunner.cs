using System.Diagnostics;

namespace Certitude.TestSupport;

/// <summary>Runs the real <c>certitude</c> executable (the build output next to the tests) as a separate process.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "certitude.dll");

    public static async Task<Result> RunAsync(IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ExecutablePath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Tests decide the target explicitly; a developer's own settings must not leak in.
        foreach (var name in new[] { "CERTITUDE_SERVER", "CERTITUDE_API_KEY", "CERTITUDE_DATA", "CERTITUDE_DATABASE" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start certitude");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"certitude {string.Join(' ', arguments)} did not finish in time.\n{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
