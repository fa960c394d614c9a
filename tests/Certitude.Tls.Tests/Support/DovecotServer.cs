using System.Globalization;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// A real Dovecot (Debian's dovecot-imapd and dovecot-pop3d) offering IMAP STARTTLS and POP3 STLS on two loopback
/// ports with the given certificate and key. No mail is served: the passdb exists only because Dovecot will not start
/// without one.
/// </summary>
/// <remarks>
/// <c>dovecot -F -c FILE</c> runs the master in the foreground with only that configuration (none of /etc/dovecot),
/// and base_dir, state_dir and the log in a temporary folder. The syntax is Dovecot 2.3's (Debian 12): 2.4 renamed
/// ssl_cert/ssl_key to ssl_server_cert_file/ssl_server_key_file and requires dovecot_config_version. The implicit-TLS
/// listeners (imaps, pop3s) are switched off (port 0) and each listener is bound to 127.0.0.1. The login processes run
/// as dovenull and chroot into base_dir, so the folder must be traversable by others (0755).
/// </remarks>
public sealed class DovecotServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/dovecot";

    private readonly ForegroundDaemon _daemon;
    private readonly string _directory;

    private DovecotServer(ForegroundDaemon daemon, string directory, int imapPort, int pop3Port)
    {
        _daemon = daemon;
        _directory = directory;
        ImapPort = imapPort;
        Pop3Port = pop3Port;
    }

    /// <summary>IMAP (like 143): STARTTLS.</summary>
    public int ImapPort { get; }

    /// <summary>POP3 (like 110): STLS.</summary>
    public int Pop3Port { get; }

    /// <summary>Dovecot's log, for failure messages.</summary>
    public string LogPath => Path.Combine(_directory, "dovecot.log");

    /// <param name="certPemPath">The server certificate (PEM; may be followed by its chain).</param>
    /// <param name="keyPemPath">Its private key (PEM, unencrypted).</param>
    public static async Task<DovecotServer> StartAsync(string certPemPath, string keyPemPath)
    {
        var directory = ForegroundDaemon.CreateWorkDirectory("certitude-dovecot-");
        try
        {
            File.Copy(certPemPath, Path.Combine(directory, "cert.pem"));
            File.Copy(keyPemPath, Path.Combine(directory, "key.pem"));
            ForegroundDaemon.RestrictToOwner(Path.Combine(directory, "key.pem"));
            var imapPort = ForegroundDaemon.FreeLoopbackPort();
            var pop3Port = ForegroundDaemon.FreeLoopbackPort();
            var config = Path.Combine(directory, "dovecot.conf");
            await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
                base_dir = {{directory}}/run
                state_dir = {{directory}}/state
                log_path = {{directory}}/dovecot.log
                info_log_path = {{directory}}/dovecot.log
                listen = 127.0.0.1
                protocols = imap pop3
                ssl = yes
                ssl_cert = <{{directory}}/cert.pem
                ssl_key = <{{directory}}/key.pem
                auth_mechanisms = plain
                disable_plaintext_auth = yes
                passdb {
                  driver = static
                  args = nopassword=y
                }
                userdb {
                  driver = static
                  args = uid=nobody gid=nogroup home={{directory}}/home
                }
                service imap-login {
                  inet_listener imap {
                    address = 127.0.0.1
                    port = {{imapPort}}
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                service pop3-login {
                  inet_listener pop3 {
                    address = 127.0.0.1
                    port = {{pop3Port}}
                  }
                  inet_listener pop3s {
                    port = 0
                  }
                }

                """));

            var daemon = ForegroundDaemon.Start(Executable, ["-F", "-c", config], directory);
            var server = new DovecotServer(daemon, directory, imapPort, pop3Port);
            try
            {
                await daemon.WaitForPortAsync(imapPort, TimeSpan.FromSeconds(30), server.LogPath);
                await daemon.WaitForPortAsync(pop3Port, TimeSpan.FromSeconds(30), server.LogPath);
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
