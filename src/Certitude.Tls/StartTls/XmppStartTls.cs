using System.Text;

namespace Certitude.Tls.StartTls;

/// <summary>XMPP (client-to-server): stream header, stream features, &lt;starttls/&gt;, &lt;proceed/&gt; (RFC 6120 §4.3 and §5.4).</summary>
/// <remarks>
/// Not an XML parser: the exchange before TLS is a handful of fixed elements, recognised by their text. The stream
/// prefix is "stream:" — RFC 6120 §4.8.5 lets a server choose another, but the servers in use (ejabberd, Prosody,
/// Openfire) all answer with the one the client used.
/// </remarks>
internal static class XmppStartTls
{
    private const string TlsNamespace = "urn:ietf:params:xml:ns:xmpp-tls";

    public static async Task NegotiateAsync(StartTlsConnection connection, string domain)
    {
        // RFC 6120 §4.7.2: "to" is the server's domain (a client has no "from" before it is authenticated).
        await connection.WriteAsync(Encoding.ASCII.GetBytes(
            $"<?xml version='1.0'?><stream:stream to='{domain}' xmlns='jabber:client' " +
            "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")).ConfigureAwait(false);

        // RFC 6120 §4.3.2: the server answers with its own stream header and then <stream:features/>; §5.3.1: a
        // <starttls/> child in the TLS namespace offers TLS. A <stream:error/> (§4.9), e.g. host-unknown, ends it.
        var received = new StringBuilder();
        int featuresStart;
        while (true)
        {
            var tag = await ReadTagAsync(connection, received).ConfigureAwait(false);
            if (tag.StartsWith("</stream:error", StringComparison.Ordinal) || tag.StartsWith("</stream:stream", StringComparison.Ordinal))
            {
                throw connection.Fail("the server closed the stream", Tail(received));
            }

            if (tag.StartsWith("</stream:features", StringComparison.Ordinal)
                || (tag.StartsWith("<stream:features", StringComparison.Ordinal) && tag.EndsWith("/>", StringComparison.Ordinal)))
            {
                featuresStart = received.ToString().LastIndexOf("<stream:features", StringComparison.Ordinal);
                break;
            }
        }

        var features = received.ToString(featuresStart, received.Length - featuresStart);
        if (!features.Contains("<starttls", StringComparison.Ordinal) || !features.Contains(TlsNamespace, StringComparison.Ordinal))
        {
            throw connection.Fail("server does not offer STARTTLS", features);
        }

        // RFC 6120 §5.4.2.3: <proceed/> and TLS starts; §5.4.2.2: <failure/> and the server closes the stream.
        await connection.WriteAsync(Encoding.ASCII.GetBytes($"<starttls xmlns='{TlsNamespace}'/>")).ConfigureAwait(false);
        var answer = new StringBuilder();
        while (true)
        {
            var tag = await ReadTagAsync(connection, answer).ConfigureAwait(false);
            if (tag.StartsWith("</proceed", StringComparison.Ordinal)
                || (tag.StartsWith("<proceed", StringComparison.Ordinal) && tag.EndsWith("/>", StringComparison.Ordinal)))
            {
                return;
            }

            if (!tag.StartsWith("<proceed", StringComparison.Ordinal))
            {
                throw connection.Fail("the server refused STARTTLS", answer.ToString());
            }
        }
    }

    /// <summary>
    /// Reads up to and including the next '&gt;', appending to <paramref name="received"/>; returns the tag it closes
    /// (from its '&lt;'). Each byte is looked at a bounded number of times, so a long stream costs linear time.
    /// </summary>
    private static async Task<string> ReadTagAsync(StartTlsConnection connection, StringBuilder received)
    {
        var tagStart = -1;
        byte value;
        do
        {
            value = await connection.ReadByteAsync().ConfigureAwait(false);
            if (value == '<')
            {
                tagStart = received.Length;
            }

            received.Append((char)value);
        }
        while (value != '>');

        return tagStart < 0 ? ">" : received.ToString(tagStart, received.Length - tagStart);
    }

    private static string Tail(StringBuilder text) => text.Length <= 200 ? text.ToString() : text.ToString(text.Length - 200, 200);
}
