using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Certitude.TestSupport;

/// <summary>
/// A real nginx (Debian's nginx-light) serving HTTPS on a loopback port with a given certificate chain and key:
/// what proves an issued certificate works in the server people actually run. One process, no daemon, everything
/// (config, pid, logs, temp files) in its own temporary folder.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nginx";
    public const string Body = "served by nginx with a Certitude certificate";

    private readonly Process _process;
    private readonly string _directory;

    private NginxServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <param name="fullChainPem">The certificate followed by its intermediates.</param>
    /// <param name="keyPem">Its private key.</param>
    public static async Task<NginxServer> StartAsync(string fullChainPem, string keyPem)
    {
        var directory = Directory.CreateTempSubdirectory("certitude-nginx-").FullName;
        var port = FreeLoopbackPort();
        await File.WriteAllTextAsync(Path.Combine(directory, "fullchain.pem"), fullChainPem);
        await File.WriteAllTextAsync(Path.Combine(directory, "key.pem"), keyPem);
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        var config = $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/tmp/body;
                proxy_temp_path {{directory}}/tmp/proxy;
                fastcgi_temp_path {{directory}}/tmp/fastcgi;
                uwsgi_temp_path {{directory}}/tmp/uwsgi;
                scgi_temp_path {{directory}}/tmp/scgi;
                server {
                    listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}} ssl;
                    ssl_certificate {{directory}}/fullchain.pem;
                    ssl_certificate_key {{directory}}/key.pem;
                    location / { default_type text/plain; return 200 "{{Body}}\n"; }
                }
            }
            """;
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);

        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", directory, "-c", configPath, "-e", Path.Combine(directory, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
        var server = new NginxServer(process, directory, port);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (process.HasExited)
            {
                var log = File.Exists(Path.Combine(directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "error.log")) : "";
                throw new InvalidOperationException($"nginx exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()} {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
