using System.Globalization;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// Debian's <c>gnutls-serv</c>, for the legacy protocols Debian's OpenSSL 3 no longer serves (TLS 1.0, 1.1, 3DES).
/// It has no option to choose its listening address and binds every interface (getaddrinfo with AI_PASSIVE), so it
/// lives only for the test that uses it, on a random port (DESIGN.md, "Bind to loopback addresses only"). The tests
/// connect to it through 127.0.0.1.
/// </summary>
internal static class GnuTlsServer
{
    public const string Executable = "/usr/bin/gnutls-serv";

    /// <param name="chain">The certificate and intermediate it serves.</param>
    /// <param name="priority">A GnuTLS priority string, e.g. NORMAL:-VERS-ALL:+VERS-TLS1.0.</param>
    public static Task<PeerProcess> StartAsync(TestChain chain, string priority)
    {
        var directory = Directory.CreateTempSubdirectory("certitude-gnutls-serv-").FullName;
        var port = PeerProcess.FreeLoopbackPort();
        var files = chain.Write(directory, "default");
        return PeerProcess.StartAsync(Executable, directory, port,
        [
            "--port", port.ToString(CultureInfo.InvariantCulture), "--x509certfile", files.FullChain, "--x509keyfile", files.Key,
            "--priority", priority, "--echo", "--quiet", "--nodb", "--noticket", "--disable-client-cert",
        ]);
    }
}
