using System.Globalization;

namespace Certitude.Tls.Tests.Support;

/// <summary>
/// Debian's <c>openssl s_server</c> on a loopback port serving a <see cref="TestChain"/> (leaf, then the intermediate
/// from <c>-cert_chain</c>). <c>-www</c> keeps it from reading its standard input; it serves one connection at a time,
/// which is all a probe test needs.
/// </summary>
internal static class OpenSslServer
{
    public const string Executable = "/usr/bin/openssl";

    /// <param name="chain">The default certificate.</param>
    /// <param name="arguments">More s_server options: -tls1_2, -tls1_3, -groups, -ciphersuites, ...</param>
    public static Task<PeerProcess> StartAsync(TestChain chain, params string[] arguments) => StartAsync(chain, null, arguments);

    /// <param name="chain">The default certificate.</param>
    /// <param name="sniChain">When given, served to clients whose SNI is its name (<c>-servername</c>, <c>-cert2</c>).</param>
    /// <param name="arguments">More s_server options.</param>
    public static Task<PeerProcess> StartAsync(TestChain chain, TestChain? sniChain, params string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("certitude-s_server-").FullName;
        var port = PeerProcess.FreeLoopbackPort();
        var files = chain.Write(directory, "default");
        List<string> all =
        [
            "s_server", "-accept", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "-cert", files.Certificate, "-key", files.Key, "-cert_chain", files.Chain, "-www", "-quiet",
        ];
        if (sniChain is not null)
        {
            var sni = sniChain.Write(directory, "sni");
            all.AddRange(["-servername", sniChain.SubjectName, "-cert2", sni.Certificate, "-key2", sni.Key]);
        }

        all.AddRange(arguments);
        return PeerProcess.StartAsync(Executable, directory, port, all);
    }
}
