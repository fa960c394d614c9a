using System.Globalization;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// A real FTP server (Debian's vsftpd) on a loopback port offering AUTH TLS with the given certificate and key.
/// Nobody can log in: local logins are on only because vsftpd refuses to start with both kinds of login off, and the
/// user list allows no one.
/// </summary>
/// <remarks>
/// <c>vsftpd FILE</c> with <c>listen=YES</c> and <c>background=NO</c> is its standalone mode in the foreground;
/// <c>listen_address=127.0.0.1</c> keeps it on loopback, and no data connections (PASV/PORT) are allowed. As root,
/// vsftpd insists that its configuration file is owned by root and that secure_chroot_dir exists.
/// </remarks>
public sealed class VsftpdServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/vsftpd";

    private readonly ForegroundDaemon _daemon;
    private readonly string _directory;

    private VsftpdServer(ForegroundDaemon daemon, string directory, int port)
    {
        _daemon = daemon;
        _directory = directory;
        Port = port;
    }

    /// <summary>FTP (like 21), with AUTH TLS.</summary>
    public int Port { get; }

    /// <param name="certPemPath">The server certificate (PEM; may be followed by its chain).</param>
    /// <param name="keyPemPath">Its private key (PEM, unencrypted).</param>
    public static async Task<VsftpdServer> StartAsync(string certPemPath, string keyPemPath)
    {
        var directory = ForegroundDaemon.CreateWorkDirectory("certitude-vsftpd-");
        try
        {
            File.Copy(certPemPath, Path.Combine(directory, "cert.pem"));
            File.Copy(keyPemPath, Path.Combine(directory, "key.pem"));
            ForegroundDaemon.RestrictToOwner(Path.Combine(directory, "key.pem"));
            Directory.CreateDirectory(Path.Combine(directory, "empty"));
            await File.WriteAllTextAsync(Path.Combine(directory, "users"), "");
            var port = ForegroundDaemon.FreeLoopbackPort();
            var config = Path.Combine(directory, "vsftpd.conf");
            await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
                listen=YES
                listen_ipv6=NO
                listen_address=127.0.0.1
                listen_port={port}
                background=NO
                anonymous_enable=NO
                local_enable=YES
                userlist_enable=YES
                userlist_deny=NO
                userlist_file={directory}/users
                write_enable=NO
                ssl_enable=YES
                rsa_cert_file={directory}/cert.pem
                rsa_private_key_file={directory}/key.pem
                secure_chroot_dir={directory}/empty
                xferlog_enable=NO
                pasv_enable=NO
                port_enable=NO
                seccomp_sandbox=NO

                """));

            var daemon = ForegroundDaemon.Start(Executable, [config], directory);
            var server = new VsftpdServer(daemon, directory, port);
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
