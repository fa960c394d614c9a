using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Certitude.Bench.Discovery;

/// <summary>
/// The endpoints both scanners look at: one nginx (Debian's nginx-light) with two workers, listening on port 8443 of
/// every address of 127.0.0.0/22 (1,024 sockets). Four leaf certificates from one CA — RSA-2048 and ECDSA P-256, two
/// of each — take turns by address (address i serves certificate i mod 4), so that a scanner that mixed up endpoints
/// would not match. TLS 1.2 and 1.3 (the default of nginx 1.23.4 and later; Debian 12's 1.22 would offer 1.0 to 1.2)
/// with nginx's default cipher list; session caching and tickets are off, so that every handshake, wrk's included, is
/// a full one.
/// </summary>
internal sealed class NginxFixture : IAsyncDisposable
{
    public const int Port = 8443;
    public const string Network = "127.0.0.0/22";
    public const int Addresses = 1024;

    private readonly ExternalProcess _nginx;
    private readonly string _resumedLog;

    private NginxFixture(ExternalProcess nginx, IReadOnlyList<FixtureCertificate> certificates, string resumedLog)
    {
        _nginx = nginx;
        Certificates = certificates;
        _resumedLog = resumedLog;
    }

    public IReadOnlyList<FixtureCertificate> Certificates { get; }

    /// <summary>Address and port -> SHA-256 of the leaf served there: what both scanners must report.</summary>
    public IReadOnlyDictionary<string, string> Expected =>
        Enumerable.Range(0, Addresses).ToDictionary(i => $"{Address(i)}:{Port}", i => CertificateAt(i).Sha256, StringComparer.Ordinal);

    public static string Address(int index) => $"127.0.{index / 256}.{index % 256}";

    public FixtureCertificate CertificateAt(int index) => Certificates[index % Certificates.Count];

    /// <summary>CPU seconds used by the nginx master and its workers so far.</summary>
    public double CpuSeconds() => _nginx.CpuSeconds();

    /// <summary>Requests served on a resumed TLS session so far (nginx logs only those): must stay 0.</summary>
    public long ResumedRequests() => File.Exists(_resumedLog) ? File.ReadLines(_resumedLog).LongCount() : 0;

    public static async Task<NginxFixture> StartAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(workDirectory, "nginx");
        NginxPrefix.Prepare(directory);
        Console.Error.WriteLine("Making the fixture's certificates (openssl)");
        var ca = await MakeCaAsync(directory, cancellationToken);
        FixtureCertificate[] certificates =
        [
            await MakeLeafAsync(directory, ca, "rsa-a.discovery.bench", "RSA-2048", 1, cancellationToken),
            await MakeLeafAsync(directory, ca, "ec-a.discovery.bench", "ECDSA P-256", 2, cancellationToken),
            await MakeLeafAsync(directory, ca, "rsa-b.discovery.bench", "RSA-2048", 3, cancellationToken),
            await MakeLeafAsync(directory, ca, "ec-b.discovery.bench", "ECDSA P-256", 4, cancellationToken),
        ];

        var resumedLog = Path.Combine(directory, "resumed.log");
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, Configuration(directory, certificates, resumedLog), cancellationToken);
        var errorLog = Path.Combine(directory, "error.log");
        Console.Error.WriteLine($"Starting nginx on {Network} port {Port} ({Addresses:N0} listening sockets)");
        var nginx = ExternalProcess.Start("nginx", "/usr/sbin/nginx", ["-p", directory, "-c", configPath, "-e", errorLog]);
        var fixture = new NginxFixture(nginx, certificates, resumedLog);
        try
        {
            await WaitForListenerAsync(IPAddress.Parse(Address(0)), nginx, errorLog);
            await WaitForListenerAsync(IPAddress.Parse(Address(Addresses - 1)), nginx, errorLog);
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }

        return fixture;
    }

    public ValueTask DisposeAsync() => _nginx.DisposeAsync();

    private static string Configuration(string directory, FixtureCertificate[] certificates, string resumedLog)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            daemon off;
            worker_processes 2;
            worker_rlimit_nofile 16384;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            # Every worker holds all {{Addresses}} listening sockets, and each takes a connection slot.
            events { worker_connections 8192; }
            http {
                {{NginxPrefix.TempPaths(directory)}}
                ssl_protocols TLSv1.2 TLSv1.3;
                # Full handshakes only: no session cache, no tickets. A request on a resumed session would be logged.
                ssl_session_cache off;
                ssl_session_tickets off;
                map $ssl_session_reused $resumed { r 1; default 0; }
                log_format resumed '$server_addr $ssl_protocol $ssl_session_reused';
                access_log {{resumedLog}} resumed if=$resumed;

            """);
        for (var c = 0; c < certificates.Length; c++)
        {
            text.Append("    server {\n");
            for (var i = c; i < Addresses; i += certificates.Length)
            {
                text.Append(CultureInfo.InvariantCulture, $"        listen {Address(i)}:{Port} ssl;\n");
            }

            text.Append(CultureInfo.InvariantCulture, $$"""
                        server_name {{certificates[c].Name}};
                        ssl_certificate {{certificates[c].FullChainPath}};
                        ssl_certificate_key {{certificates[c].KeyPath}};
                        location / { default_type text/plain; return 200 "ok\n"; }
                    }

                """);
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static async Task<(string Certificate, string Key)> MakeCaAsync(string directory, CancellationToken cancellationToken)
    {
        var key = Path.Combine(directory, "ca.key");
        var certificate = Path.Combine(directory, "ca.pem");
        await ExternalProcess.RunAsync("openssl",
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", certificate,
                "-days", "30", "-subj", "/CN=Discovery Bench CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            cancellationToken: cancellationToken);
        return (certificate, key);
    }

    private static async Task<FixtureCertificate> MakeLeafAsync(string directory, (string Certificate, string Key) ca, string name, string keyType,
        int serial, CancellationToken cancellationToken)
    {
        var key = Path.Combine(directory, $"{name}.key");
        var request = Path.Combine(directory, $"{name}.csr");
        var leaf = Path.Combine(directory, $"{name}.pem");
        var extensions = Path.Combine(directory, $"{name}.ext");
        string[] algorithm = keyType.StartsWith("RSA", StringComparison.Ordinal)
            ? ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
            : ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];
        await ExternalProcess.RunAsync("openssl", ["genpkey", .. algorithm, "-out", key], cancellationToken: cancellationToken);
        await ExternalProcess.RunAsync("openssl", ["req", "-new", "-key", key, "-subj", $"/CN={name}", "-out", request], cancellationToken: cancellationToken);
        await File.WriteAllTextAsync(extensions,
            $"basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:{name}\n",
            cancellationToken);
        await ExternalProcess.RunAsync("openssl",
            ["x509", "-req", "-in", request, "-CA", ca.Certificate, "-CAkey", ca.Key, "-set_serial", serial.ToString(CultureInfo.InvariantCulture),
                "-days", "30", "-extfile", extensions, "-out", leaf],
            cancellationToken: cancellationToken);

        // nginx sends the leaf and then the CA: the scanners must report the first certificate, not the last.
        var fullChain = Path.Combine(directory, $"{name}.fullchain.pem");
        var leafPem = await File.ReadAllTextAsync(leaf, cancellationToken);
        await File.WriteAllTextAsync(fullChain, leafPem + await File.ReadAllTextAsync(ca.Certificate, cancellationToken), cancellationToken);
        using var certificate = X509Certificate2.CreateFromPem(leafPem);
        return new FixtureCertificate(name, keyType, fullChain, key, Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)));
    }

    private static async Task WaitForListenerAsync(IPAddress address, ExternalProcess nginx, string errorLog)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(address, Port);
                return;
            }
            catch (SocketException e) when (DateTime.UtcNow >= deadline || nginx.HasExited)
            {
                var log = File.Exists(errorLog) ? await File.ReadAllTextAsync(errorLog) : "";
                throw new InvalidOperationException($"nginx does not listen on {address}:{Port}: {e.Message}\n{nginx.Output}{log}", e);
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
    }
}
