using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Certitude.TestSupport;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>
/// One real nginx serving several TLS sites, each on its own loopback address and port with its own certificate (one
/// `listen address:port ssl` per site, never a wildcard address). Restarting with other certificates keeps the
/// addresses: what a certificate change on a server looks like to a scanner.
/// </summary>
internal sealed class NginxSites : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NginxSites(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    /// <param name="sites">Each site's endpoint and certificate (with its private key), followed by the chain to send with it.</param>
    public static async Task<NginxSites> StartAsync(IReadOnlyList<(IPEndPoint EndPoint, X509Certificate2 Certificate, X509Certificate2[] Chain)> sites)
    {
        var directory = Directory.CreateTempSubdirectory("certitude-nginx-sites-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        var servers = new List<string>();
        for (var i = 0; i < sites.Count; i++)
        {
            var (endpoint, certificate, chain) = sites[i];
            await File.WriteAllTextAsync(Path.Combine(directory, $"site{i}.pem"), CertificateFactory.ToPem([certificate, .. chain]));
            await File.WriteAllTextAsync(Path.Combine(directory, $"site{i}.key"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            servers.Add(string.Create(CultureInfo.InvariantCulture, $$"""
                    server {
                        listen {{endpoint.Address}}:{{endpoint.Port}} ssl;
                        ssl_certificate {{directory}}/site{{i}}.pem;
                        ssl_certificate_key {{directory}}/site{{i}}.key;
                        location / { return 204; }
                    }
                """));
        }

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
            {{string.Join('\n', servers)}}
            }
            """;
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);
        var start = new ProcessStartInfo(NginxServer.Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", directory, "-c", configPath, "-e", Path.Combine(directory, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nginx");
        var nginx = new NginxSites(process, directory);
        try
        {
            foreach (var (endpoint, _, _) in sites)
            {
                await nginx.WaitForAsync(endpoint);
            }
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }

        return nginx;
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

    private async Task WaitForAsync(IPEndPoint endpoint)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (_process.HasExited)
            {
                var log = File.Exists(Path.Combine(_directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(_directory, "error.log")) : "";
                throw new InvalidOperationException($"nginx exited {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()} {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(endpoint);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
