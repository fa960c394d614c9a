using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Certitude.Bench.Pki;

/// <summary>
/// The HTTP ceiling for the OCSP runs: Debian's nginx-light (two workers, one per core) answering every POST with a
/// constant body as long as Certitude's OCSP responses, from memory, nothing computed. No OCSP responder on this
/// machine can answer faster over HTTP with the same client, so its rate bounds what any target can ask here.
/// </summary>
internal sealed class NginxConstantResponder : IAsyncDisposable
{
    private readonly ExternalProcess _nginx;

    private NginxConstantResponder(ExternalProcess nginx, Uri url)
    {
        _nginx = nginx;
        Url = url;
    }

    public Uri Url { get; }

    public ExternalProcess Process => _nginx;

    public static async Task<NginxConstantResponder> StartAsync(string workDirectory, int bodyLength)
    {
        var directory = Path.Combine(workDirectory, "nginx");
        NginxPrefix.Prepare(directory);
        var port = Loopback.FreePort();
        var configPath = Path.Combine(directory, "nginx.conf");
        // "return 200" answers any method, POST included, without reading a file; the body only has to be as long
        // as a real answer (the bytes are not parsed: wrk counts responses).
        var body = new string('x', bodyLength);
        await File.WriteAllTextAsync(configPath, string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes 2;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
                {{NginxPrefix.TempPaths(directory)}}
                access_log off;
                keepalive_requests 1000000;
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        default_type application/ocsp-response;
                        return 200 "{{body}}";
                    }
                }
            }
            """));
        var nginx = ExternalProcess.Start("nginx", "/usr/sbin/nginx", ["-p", directory, "-c", configPath, "-e", Path.Combine(directory, "error.log")]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (!nginx.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (SocketException e)
            {
                var output = nginx.Output;
                await nginx.DisposeAsync();
                throw new InvalidOperationException($"nginx did not start listening:\n{output}", e);
            }
        }

        return new NginxConstantResponder(nginx, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
    }

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();
}
