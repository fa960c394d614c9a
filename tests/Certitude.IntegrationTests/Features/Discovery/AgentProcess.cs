using System.Diagnostics;
using System.Text;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// A long-running <c>certitude agent</c> process (the build output next to the tests), with its output captured: what a
/// test needs to kill an agent outright (SIGKILL) or stop it the way an operator would (SIGTERM).
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the agent wrote so far, for assertions and failure messages.</summary>
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

    public static AgentProcess Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliRunner.ExecutablePath);
        start.ArgumentList.Add("agent");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "CERTITUDE_SERVER", "CERTITUDE_API_KEY", "CERTITUDE_DATA", "CERTITUDE_DATABASE", "CERTITUDE_AGENT_TOKEN" })
        {
            start.Environment.Remove(name);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start certitude agent");
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => agent.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return agent;
    }

    /// <summary>SIGKILL: the agent gets no chance to say anything to the server.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Exited already.
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bound.Token);
    }

    /// <summary>SIGTERM, as systemd stops a service; waits for the exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        await ExternalProcess.RunAsync("/bin/kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var bound = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(bound.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
