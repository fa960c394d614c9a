using System.Globalization;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// A real DNS server (Debian's dnsmasq) on a loopback port, answering only for the names it is given and forwarding
/// nothing: what tests resolve names through instead of the system resolver.
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/dnsmasq";

    private readonly ForegroundDaemon _daemon;

    private DnsmasqServer(ForegroundDaemon daemon, int port)
    {
        _daemon = daemon;
        Port = port;
    }

    public int Port { get; }

    /// <param name="records">Name → addresses (A and AAAA records).</param>
    /// <param name="cnames">Alias → canonical name.</param>
    public static async Task<DnsmasqServer> StartAsync(IReadOnlyDictionary<string, string[]> records, IReadOnlyDictionary<string, string>? cnames = null)
    {
        var port = ForegroundDaemon.FreeLoopbackPort();
        var arguments = new List<string>
        {
            "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces", "--listen-address=127.0.0.1",
            "--except-interface=nonexistent", "--conf-file=/dev/null", "--pid-file=", "--user=root",
            string.Create(CultureInfo.InvariantCulture, $"--port={port}"),
        };
        foreach (var (name, addresses) in records)
        {
            arguments.AddRange(addresses.Select(a => $"--host-record={name},{a}"));
        }

        foreach (var (alias, target) in cnames ?? new Dictionary<string, string>())
        {
            arguments.Add($"--cname={alias},{target}");
        }

        var daemon = ForegroundDaemon.Start(Executable, arguments);
        await daemon.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
        return new DnsmasqServer(daemon, port);
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();
}
