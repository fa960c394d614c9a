namespace Certitude.Tls.StartTls;

/// <summary>FTP: greeting, AUTH TLS (RFC 4217 §4, RFC 959 §4.2 and §5.4).</summary>
internal static class FtpStartTls
{
    /// <summary>How many "120 ready in nnn minutes" preliminary replies are waited through before the greeting.</summary>
    private const int MaxPreliminaryReplies = 3;

    public static async Task NegotiateAsync(StartTlsConnection connection)
    {
        // RFC 959 §5.4: on connection the server answers 220, or 120 (ready in a while) followed by 220, or 421.
        var greeting = await NumericReply.ReadAsync(connection, freeFormContinuation: true).ConfigureAwait(false);
        for (var preliminary = 0; greeting.Code == 120 && preliminary < MaxPreliminaryReplies; preliminary++)
        {
            greeting = await NumericReply.ReadAsync(connection, freeFormContinuation: true).ConfigureAwait(false);
        }

        if (greeting.Code != 220)
        {
            throw connection.Fail($"the server's greeting is {greeting.Code}, not 220", greeting.Text);
        }

        // RFC 4217 §4: 234 accepts the security mechanism and TLS starts at once; 334 would ask for ADAT (not TLS),
        // 431/504/534 refuse, 500/502 mean AUTH is not implemented.
        await connection.WriteLineAsync("AUTH TLS").ConfigureAwait(false);
        var reply = await NumericReply.ReadAsync(connection, freeFormContinuation: true).ConfigureAwait(false);
        if (reply.Code != 234)
        {
            throw connection.Fail($"the server refused AUTH TLS with {reply.Code}", reply.Text);
        }
    }
}
