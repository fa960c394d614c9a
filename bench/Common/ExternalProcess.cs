// Compiled into each benchmark program that starts other programs (see their .csproj).
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Certitude.Bench;

/// <summary>A program the benchmark runs: to completion (<see cref="RunAsync"/>) or in the background (<see cref="Start"/>).</summary>
internal sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _label;
    private readonly bool _terminate;

    private ExternalProcess(Process process, string label, bool terminate)
    {
        _process = process;
        _label = label;
        _terminate = terminate;
    }

    public int Id => _process.Id;

    /// <summary>Standard output and error so far.</summary>
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

    public bool HasExited => _process.HasExited;

    /// <summary>Runs a program to its end; its standard output, or an exception with everything it said when it fails.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var start = StartInfo(file, arguments, workingDirectory, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{await output}{await error}");
        }

        return await output;
    }

    /// <summary>
    /// Starts a program in the background, collecting what it prints. Disposing stops it with SIGTERM (a clean
    /// shutdown) when <paramref name="terminate"/>, else kills it and its children at once.
    /// </summary>
    public static ExternalProcess Start(string label, string file, IEnumerable<string> arguments, bool terminate = true)
    {
        var process = Process.Start(StartInfo(file, arguments, null, null)) ?? throw new InvalidOperationException($"could not start {file}");
        var started = new ExternalProcess(process, label, terminate);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>
    /// CPU seconds (user + system) of the process and of its children still running (openssl ocsp -multi forks its
    /// responders), from /proc: what the process cost, apart from the load generator's share of the machine.
    /// </summary>
    public double CpuSeconds()
    {
        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var stat = ReadStat(Path.Combine(directory, "stat"));
            if (stat is { } s && (s.Pid == Id || s.ParentPid == Id))
            {
                ticks += s.Ticks;
            }
        }

        return ticks / 100.0;
    }

    /// <summary>CPU seconds used so far by the process's threads whose name starts with <paramref name="threadName"/>
    /// (Linux truncates thread names to 15 characters: ".NET Tiered Com" is the runtime's tiered compilation).</summary>
    public double ThreadCpuSeconds(string threadName)
    {
        var ticks = 0L;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/task"))
        {
            string name;
            try
            {
                name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
            }
            catch (IOException)
            {
                continue;
            }

            if (name.StartsWith(threadName, StringComparison.Ordinal) && ReadStat(Path.Combine(task, "stat")) is { } stat)
            {
                ticks += stat.Ticks;
            }
        }

        return ticks / 100.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited && !_terminate)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        else if (!_process.HasExited)
        {
            // SIGTERM: certitude serve shuts down cleanly.
            await ExternalProcess.RunAsync("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") == "1")
        {
            Console.Error.WriteLine($"  [{_label}] {line}");
        }
    }

    private static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>pid, ppid and utime + stime (clock ticks) from /proc/PID/stat; the command name may hold spaces, so fields count from its closing bracket.</summary>
    private static (int Pid, int ParentPid, long Ticks)? ReadStat(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        var close = text.LastIndexOf(')');
        if (close < 0 || !int.TryParse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        // After ") ": state(3) ppid(4) ... utime(14) stime(15).
        var fields = text[(close + 2)..].Split(' ');
        return (pid, int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
