using System.Globalization;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// A real OpenLDAP server (Debian's slapd) on a loopback port offering the StartTLS extended operation with the given
/// certificate and key, and one empty database (dc=certitude,dc=test).
/// </summary>
/// <remarks>
/// <c>slapd -d 0 -f slapd.conf -h ldap://127.0.0.1:PORT/</c>: "-d" keeps it in the foreground, "-h" makes it listen
/// only there (never ldap:/// on every interface), and a slapd.conf in a temporary folder replaces Debian's cn=config
/// in /etc/ldap. Debian builds OpenLDAP with GnuTLS, which reads PKCS#8 and EC keys fine.
/// </remarks>
public sealed class SlapdServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/slapd";

    private readonly ForegroundDaemon _daemon;
    private readonly string _directory;

    private SlapdServer(ForegroundDaemon daemon, string directory, int port)
    {
        _daemon = daemon;
        _directory = directory;
        Port = port;
    }

    /// <summary>LDAP (like 389), with StartTLS.</summary>
    public int Port { get; }

    /// <param name="certPemPath">The server certificate (PEM; may be followed by its chain).</param>
    /// <param name="keyPemPath">Its private key (PEM, unencrypted).</param>
    public static async Task<SlapdServer> StartAsync(string certPemPath, string keyPemPath)
    {
        var directory = ForegroundDaemon.CreateWorkDirectory("certitude-slapd-");
        try
        {
            File.Copy(certPemPath, Path.Combine(directory, "cert.pem"));
            File.Copy(keyPemPath, Path.Combine(directory, "key.pem"));
            ForegroundDaemon.RestrictToOwner(Path.Combine(directory, "key.pem"));
            Directory.CreateDirectory(Path.Combine(directory, "db"));
            var port = ForegroundDaemon.FreeLoopbackPort();
            var config = Path.Combine(directory, "slapd.conf");
            await File.WriteAllTextAsync(config, $"""
                include /etc/ldap/schema/core.schema
                pidfile {directory}/slapd.pid
                argsfile {directory}/slapd.args
                modulepath /usr/lib/ldap
                moduleload back_mdb
                TLSCertificateFile {directory}/cert.pem
                TLSCertificateKeyFile {directory}/key.pem
                database mdb
                suffix "dc=certitude,dc=test"
                rootdn "cn=admin,dc=certitude,dc=test"
                directory {directory}/db
                maxsize 10485760

                """);

            var url = string.Create(CultureInfo.InvariantCulture, $"ldap://127.0.0.1:{port}/");
            var daemon = ForegroundDaemon.Start(Executable, ["-d", "0", "-h", url, "-f", config], directory);
            var server = new SlapdServer(daemon, directory, port);
            try
            {
                await daemon.WaitForPortAsync(port, TimeSpan.FromSeconds(30));
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
        await _daemon.DisposeAsync();
        ForegroundDaemon.DeleteWorkDirectory(_directory);
    }
}
