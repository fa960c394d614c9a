using System.Globalization;
using System.Net.Http.Headers;

namespace Certitude.Bench.Pki;

/// <summary><c>certitude serve</c> in its own process on a loopback port, over a data folder (SQLite).</summary>
internal sealed class CertitudeServerProcess : IAsyncDisposable
{
    private readonly ExternalProcess _process;

    private CertitudeServerProcess(ExternalProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ExternalProcess Process => _process;

    public static async Task<CertitudeServerProcess> StartAsync(string certitudeDll, string dataDirectory)
    {
        var port = Loopback.FreePort();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var process = ExternalProcess.Start("certitude serve", "dotnet", [certitudeDll, "serve", "--data", dataDirectory, "--urls", url]);
        await Loopback.WaitForListenerAsync(port, process, TimeSpan.FromSeconds(60));
        var server = new CertitudeServerProcess(process, new Uri(url + "/"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var ready = await client.GetAsync("readyz");
        ready.EnsureSuccessStatusCode();
        return server;
    }

    /// <summary>A client for many requests at once: one pooled HTTP/1.1 connection per request in flight.</summary>
    public HttpClient CreateClient(string apiKey, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
