namespace Certitude.Tls.StartTls;

/// <summary>SMTP and submission: greeting, EHLO, STARTTLS (RFC 3207 §4, RFC 5321 §4.1.1.1 and §4.2).</summary>
internal static class SmtpStartTls
{
    public static async Task NegotiateAsync(StartTlsConnection connection, string clientName)
    {
        // RFC 5321 §4.3.1: 220 is the greeting; 554 means "no service here" (and the server then waits for QUIT).
        var greeting = await NumericReply.ReadAsync(connection, freeFormContinuation: false).ConfigureAwait(false);
        if (greeting.Code != 220)
        {
            throw connection.Fail($"the server's greeting is {greeting.Code}, not 220", greeting.Text);
        }

        // RFC 5321 §4.1.1.1: the EHLO reply lists one extension keyword per line after the first (RFC 3207 §4:
        // "STARTTLS" among them when the server offers it).
        await connection.WriteLineAsync("EHLO " + clientName).ConfigureAwait(false);
        var ehlo = await NumericReply.ReadAsync(connection, freeFormContinuation: false).ConfigureAwait(false);
        if (ehlo.Code != 250)
        {
            throw connection.Fail($"the server refused EHLO with {ehlo.Code}", ehlo.Text);
        }

        var offersStartTls = ehlo.Lines.Skip(1).Any(line =>
            line.Split(' ', 2)[0].Equals("STARTTLS", StringComparison.OrdinalIgnoreCase));
        if (!offersStartTls)
        {
            throw connection.Fail("server does not offer STARTTLS", ehlo.Text);
        }

        // RFC 3207 §4: 220 "Ready to start TLS"; 454 "TLS not available due to temporary reason", 501 syntax error.
        await connection.WriteLineAsync("STARTTLS").ConfigureAwait(false);
        var reply = await NumericReply.ReadAsync(connection, freeFormContinuation: false).ConfigureAwait(false);
        if (reply.Code != 220)
        {
            throw connection.Fail($"the server refused STARTTLS with {reply.Code}", reply.Text);
        }
    }
}
