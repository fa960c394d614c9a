using System.Globalization;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// A real PostgreSQL (Debian's postgresql) on a loopback port: a throwaway cluster with <c>ssl = on</c> and the given
/// certificate and key, or with <c>ssl = off</c> (it then answers 'N' to an SSLRequest).
/// </summary>
/// <remarks>
/// initdb and the postmaster run as the postgres user when the tests run as root (initdb refuses root), through
/// <c>runuser -u postgres</c>, so the whole folder is handed to that user; the server also insists that the key is
/// 0600 (or 0640 owned by root). The postmaster runs in the foreground, with its Unix socket in the temporary folder
/// and TCP on 127.0.0.1 only, and is stopped with <c>pg_ctl stop -m immediate</c> (a killed postmaster would leave
/// its shared memory behind).
/// </remarks>
public sealed class PostgresTlsServer : IAsyncDisposable
{
    private readonly ForegroundDaemon _daemon;
    private readonly string _directory;
    private readonly string _bin;

    private PostgresTlsServer(ForegroundDaemon daemon, string directory, string bin, int port)
    {
        _daemon = daemon;
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    /// <summary>PostgreSQL's port (like 5432).</summary>
    public int Port { get; }

    /// <summary>The server's log, for failure messages.</summary>
    public string LogPath => Path.Combine(_directory, "postgres.log");

    /// <summary>Starts a cluster with SSL on.</summary>
    /// <param name="certPemPath">The server certificate (PEM; may be followed by its chain).</param>
    /// <param name="keyPemPath">Its private key (PEM, unencrypted).</param>
    public static Task<PostgresTlsServer> StartAsync(string certPemPath, string keyPemPath) => StartCoreAsync(certPemPath, keyPemPath);

    /// <summary>Starts a cluster with SSL off.</summary>
    public static Task<PostgresTlsServer> StartWithoutTlsAsync() => StartCoreAsync(null, null);

    private static async Task<PostgresTlsServer> StartCoreAsync(string? certPemPath, string? keyPemPath)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin"))
            .Where(candidate => File.Exists(Path.Combine(candidate, "postgres")))
            .OrderByDescending(candidate => int.TryParse(Path.GetFileName(Path.GetDirectoryName(candidate)), out var major) ? major : 0)
            .FirstOrDefault() ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql");
        var directory = ForegroundDaemon.CreateWorkDirectory("certitude-pgtls-");
        try
        {
            var settings = new List<string>
            {
                "-c", "listen_addresses=127.0.0.1",
                "-c", $"unix_socket_directories={directory}",
                "-c", "fsync=off",
                "-c", "max_connections=20",
            };
            if (certPemPath is not null && keyPemPath is not null)
            {
                File.Copy(certPemPath, Path.Combine(directory, "cert.pem"));
                File.Copy(keyPemPath, Path.Combine(directory, "key.pem"));
                ForegroundDaemon.RestrictToOwner(Path.Combine(directory, "key.pem"));
                settings.AddRange(["-c", "ssl=on", "-c", $"ssl_cert_file={directory}/cert.pem", "-c", $"ssl_key_file={directory}/key.pem"]);
            }
            else
            {
                settings.AddRange(["-c", "ssl=off"]);
            }

            if (ForegroundDaemon.IsRoot)
            {
                await ForegroundDaemon.RunAsync("chown", "-R", "postgres:postgres", directory);
            }

            var data = Path.Combine(directory, "data");
            await RunAsPostgresAsync(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");

            var port = ForegroundDaemon.FreeLoopbackPort();
            settings.AddRange(["-c", string.Create(CultureInfo.InvariantCulture, $"port={port}")]);
            var (program, prefix) = AsPostgres(Path.Combine(bin, "postgres"));
            var daemon = ForegroundDaemon.Start(program, [.. prefix, "-D", data, .. settings], directory);
            var server = new PostgresTlsServer(daemon, directory, bin, port);
            try
            {
                await daemon.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            return server;
        }
        catch
        {
            ForegroundDaemon.DeleteWorkDirectory(directory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_directory, "data"), "-m", "immediate", "-w", "stop");
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
        {
            // Not running (it failed to start, or already stopped): the kill below covers the rest.
        }

        await _daemon.DisposeAsync();
        ForegroundDaemon.DeleteWorkDirectory(_directory);
    }

    private static Task<string> RunAsPostgresAsync(string program, params string[] arguments)
    {
        var (file, prefix) = AsPostgres(program);
        return ForegroundDaemon.RunAsync(file, [.. prefix, .. arguments]);
    }

    private static (string Program, string[] Prefix) AsPostgres(string program) =>
        ForegroundDaemon.IsRoot ? ("/usr/sbin/runuser", ["-u", "postgres", "--", program]) : (program, []);
}
