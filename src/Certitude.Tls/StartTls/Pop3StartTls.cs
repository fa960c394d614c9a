namespace Certitude.Tls.StartTls;

/// <summary>POP3: greeting, STLS (RFC 2595 §4, RFC 1939 §3–4).</summary>
internal static class Pop3StartTls
{
    public static async Task NegotiateAsync(StartTlsConnection connection)
    {
        // RFC 1939 §3: status indicators are "+OK" and "-ERR", followed by a space or the end of the line.
        var greeting = await connection.ReadLineAsync().ConfigureAwait(false);
        if (!IsOk(greeting))
        {
            throw connection.Fail("the server's greeting is not +OK", greeting);
        }

        // RFC 2595 §4: "+OK Begin TLS negotiation" and the TLS handshake starts; "-ERR" refuses.
        await connection.WriteLineAsync("STLS").ConfigureAwait(false);
        var reply = await connection.ReadLineAsync().ConfigureAwait(false);
        if (!IsOk(reply))
        {
            throw connection.Fail("the server refused STLS", reply);
        }
    }

    private static bool IsOk(string line) =>
        line.StartsWith("+OK", StringComparison.OrdinalIgnoreCase) && (line.Length == 3 || line[3] == ' ');
}
