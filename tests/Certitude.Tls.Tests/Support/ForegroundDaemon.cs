using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// A peer program (postfix's master, dovecot, slapd, ...) run in the foreground for one test: never a packaged
/// service, never detached, killed together with its children on dispose. Its output is kept (bounded) so that a
/// server that fails to start says why in the test's failure message.
/// </summary>
public sealed class ForegroundDaemon : IAsyncDisposable
{
    private const int MaxOutput = 64 * 1024;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ForegroundDaemon(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    /// <summary>The program's file name, for messages.</summary>
    public string Name { get; }

    /// <summary>What the program wrote to stdout and stderr so far (the first 64 KiB).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="program"/> with stdin closed and its output captured.</summary>
    public static ForegroundDaemon Start(string program, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var daemon = new ForegroundDaemon(process, Path.GetFileName(program));
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {program}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>
    /// Waits until 127.0.0.1:<paramref name="port"/> accepts connections; fails at once (with the program's output and
    /// <paramref name="log"/>'s content) when the program exits, and after <paramref name="timeout"/> otherwise.
    /// </summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout, string? log = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before listening on port {port}: {Output} {ReadLog(log)}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException exception)
            {
                throw new TimeoutException($"{Name} did not listen on port {port} within {timeout}: {Output} {ReadLog(log)}", exception);
            }
        }
    }

    /// <summary>Kills the program and everything it started, and waits (bounded) for it to be gone.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or stuck in the kernel: nothing more a test can do about it.
        }

        _process.Dispose();
    }

    /// <summary>A loopback port nothing listens on right now (the OS picks it; the daemon binds it a moment later).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A fresh temporary folder that other users may traverse (0755): the daemons drop privileges (postfix, dovecot's
    /// login processes, postgres) and must still reach their files in it.
    /// </summary>
    public static string CreateWorkDirectory(string prefix)
    {
        var directory = Directory.CreateTempSubdirectory(prefix).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return directory;
    }

    /// <summary>Makes a file readable by its owner only (0600): servers refuse private keys others can read.</summary>
    public static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Deletes a work folder, ignoring what a just-killed daemon may still hold.</summary>
    public static void DeleteWorkDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Whether the tests run as root (the daemons then drop to their own users, and need them to own files).</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Runs a command to completion (at most a minute); a non-zero exit throws with its output.</summary>
    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} took more than a minute");
        }

        var output = await stdout;
        var errors = await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output} {errors}"));
        }

        return output;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < MaxOutput)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static string ReadLog(string? log) => log is not null && File.Exists(log) ? File.ReadAllText(log) : "";
}
