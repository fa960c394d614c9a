using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Certitude.Data;

namespace Certitude.TestSupport;

/// <summary>
/// <c>certitude serve</c> as a separate process (the build output next to the tests) on a free loopback port, over
/// a given data folder and database: what a test needs to kill a server outright (SIGKILL) and start it again.
/// </summary>
public sealed class CertitudeProcess : IAsyncDisposable
{
    private const int MaxCapturedChars = 64 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private CertitudeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the server wrote so far (capped), for failure messages.</summary>
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

    /// <summary>Starts the server and waits until /readyz answers 200 (its database is reachable), or fails after <paramref name="timeout"/>.</summary>
    public static async Task<CertitudeProcess> StartAsync(StorageSettings storage, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { CliRunner.ExecutablePath, "serve", "--urls", baseAddress.ToString().TrimEnd('/'), "--data", storage.DataDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        if (storage.Provider == DatabaseProvider.PostgreSql)
        {
            start.ArgumentList.Add("--database");
            start.ArgumentList.Add(storage.ConnectionString);
        }

        foreach (var name in new[] { "CERTITUDE_SERVER", "CERTITUDE_API_KEY", "CERTITUDE_DATA", "CERTITUDE_DATABASE", "CERTITUDE_URLS" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start certitude serve");
        var server = new CertitudeProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            await server.WaitUntilReadyAsync(timeout, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, open transactions die with the process.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(bound.Token);
    }

    public HttpClient CreateClient(string? apiKey = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = BaseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = CreateClient(timeout: TimeSpan.FromSeconds(10));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"certitude serve exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("readyz", deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"certitude serve was not ready within {timeout.TotalSeconds:0} s:\n{Output}");
                }

                // This one probe timed out (a busy machine, a server still starting): ask again.
            }

            try
            {
                await poll.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"certitude serve was not ready within {timeout.TotalSeconds:0} s:\n{Output}");
            }
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < MaxCapturedChars)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
