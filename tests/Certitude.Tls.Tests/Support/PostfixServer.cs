using System.Globalization;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// A real Postfix (Debian's postfix) accepting SMTP on two loopback ports — one like port 25, one like submission
/// (587, where TLS is required before mail) — with STARTTLS offered using the given certificate and key.
/// </summary>
/// <remarks>
/// The master daemon runs in the foreground (<c>master -d</c>) with its own configuration, queue and data folders in a
/// temporary folder, so neither /etc/postfix nor the packaged service is involved. Gotchas met on the way:
/// the queue folder must be owned by root (its subfolders by the postfix user: <c>postfix check</c> creates them);
/// smtpd needs the proxymap and anvil services even for a session that never sends mail; no service is chrooted
/// (column 5 "n"); the client's address is not looked up (<c>smtpd_peername_lookup = no</c>, names must not leave
/// the machine); logs go to a file through postlogd (<c>maillog_file</c>, allowed by <c>maillog_file_prefixes</c>).
/// Needs root: master starts as root and drops to the postfix user.
/// </remarks>
public sealed class PostfixServer : IAsyncDisposable
{
    public const string Master = "/usr/lib/postfix/sbin/master";

    private readonly ForegroundDaemon _daemon;
    private readonly string _directory;

    private PostfixServer(ForegroundDaemon daemon, string directory, int smtpPort, int submissionPort)
    {
        _daemon = daemon;
        _directory = directory;
        SmtpPort = smtpPort;
        SubmissionPort = submissionPort;
    }

    /// <summary>The port playing 25: STARTTLS offered, not required.</summary>
    public int SmtpPort { get; }

    /// <summary>The port playing 587 (submission): STARTTLS offered and required before anything else.</summary>
    public int SubmissionPort { get; }

    /// <summary>Same as <see cref="SmtpPort"/>.</summary>
    public int Port => SmtpPort;

    /// <summary>The mail log (postlogd), for failure messages.</summary>
    public string LogPath => Path.Combine(_directory, "maillog");

    /// <param name="certPemPath">The server certificate (PEM; may be followed by its chain).</param>
    /// <param name="keyPemPath">Its private key (PEM, unencrypted).</param>
    /// <param name="offerStartTls">False runs the same server with <c>smtpd_tls_security_level = none</c>: no STARTTLS in EHLO.</param>
    public static async Task<PostfixServer> StartAsync(string certPemPath, string keyPemPath, bool offerStartTls = true)
    {
        var directory = ForegroundDaemon.CreateWorkDirectory("certitude-postfix-");
        try
        {
            var config = Path.Combine(directory, "conf");
            var queue = Path.Combine(directory, "queue");
            var data = Path.Combine(directory, "data");
            Directory.CreateDirectory(config);
            Directory.CreateDirectory(queue);
            Directory.CreateDirectory(data);
            File.Copy(certPemPath, Path.Combine(directory, "cert.pem"));
            File.Copy(keyPemPath, Path.Combine(directory, "key.pem"));
            ForegroundDaemon.RestrictToOwner(Path.Combine(directory, "key.pem"));

            var smtpPort = ForegroundDaemon.FreeLoopbackPort();
            var submissionPort = ForegroundDaemon.FreeLoopbackPort();
            var level = offerStartTls ? "may" : "none";
            var submissionLevel = offerStartTls ? "encrypt" : "none";
            await File.WriteAllTextAsync(Path.Combine(config, "main.cf"), $"""
                compatibility_level = 3.6
                config_directory = {config}
                queue_directory = {queue}
                data_directory = {data}
                myhostname = postfix.certitude.invalid
                mydomain = certitude.invalid
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                smtpd_peername_lookup = no
                alias_maps =
                alias_database =
                maillog_file = {directory}/maillog
                maillog_file_prefixes = {directory}
                smtpd_tls_cert_file = {directory}/cert.pem
                smtpd_tls_key_file = {directory}/key.pem
                smtpd_tls_security_level = {level}
                smtpd_tls_loglevel = 1

                """);

            // master.cf: service type private unpriv chroot wakeup maxproc command. Only what an SMTP session needs.
            await File.WriteAllTextAsync(Path.Combine(config, "master.cf"), string.Create(CultureInfo.InvariantCulture, $"""
                127.0.0.1:{smtpPort} inet n - n - - smtpd
                127.0.0.1:{submissionPort} inet n - n - - smtpd -o smtpd_tls_security_level={submissionLevel}
                proxymap unix - - n - - proxymap
                anvil unix - - n - 1 anvil
                tlsmgr unix - - n 1000? 1 tlsmgr
                postlog unix-dgram n - n - 1 postlogd

                """));

            if (ForegroundDaemon.IsRoot)
            {
                await ForegroundDaemon.RunAsync("chown", "postfix:postfix", data);
            }

            // Creates the queue's subfolders with the owners and modes Postfix expects, and reports bad settings.
            await ForegroundDaemon.RunAsync("/usr/sbin/postfix", "-c", config, "check");

            var daemon = ForegroundDaemon.Start(Master, ["-c", config, "-d"], directory);
            var server = new PostfixServer(daemon, directory, smtpPort, submissionPort);
            try
            {
                await daemon.WaitForPortAsync(smtpPort, TimeSpan.FromSeconds(30), server.LogPath);
                await daemon.WaitForPortAsync(submissionPort, TimeSpan.FromSeconds(30), server.LogPath);
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
