using System.Net;
using System.Net.Sockets;

namespace Certitude.Tls.StartTls;

/// <summary>Upgrades a plain connection to TLS the way the service on it expects (SMTP's STARTTLS, LDAP's StartTLS, ...).</summary>
public static class StartTlsNegotiator
{
    /// <summary>The name a client gives when it has no better one: RFC 2606 §2 reserves ".invalid".</summary>
    private const string PlaceholderName = "certitude.invalid";

    /// <summary>
    /// Performs the protocol's upgrade step on a freshly connected plain stream so that the next bytes the client
    /// writes are a TLS ClientHello. Returns when the server agreed; throws <see cref="StartTlsException"/> when it
    /// refused or spoke something else; <see cref="OperationCanceledException"/> on cancellation (the caller's
    /// timeout). <see cref="StartTlsProtocol.None"/> returns at once.
    /// </summary>
    /// <param name="stream">The connection, with nothing read from or written to it yet.</param>
    /// <param name="protocol">The service's protocol.</param>
    /// <param name="serverName">
    /// The name the connection was made to, when it is a DNS name: sent as SMTP's EHLO argument and as XMPP's stream
    /// "to" (an IP literal is used there too). Anything else — null, an address, a malformed name — is replaced by
    /// "certitude.invalid", so no caller-provided text is ever written raw into a command line.
    /// </param>
    /// <param name="cancellationToken">Cancels the negotiation.</param>
    /// <remarks>
    /// Reads are bounded (4 KiB per line, 64 KiB per negotiation) and never go past the server's last reply byte: the
    /// stream is left positioned for the TLS handshake. A failing connection (reset, closed) is reported as a
    /// <see cref="StartTlsException"/> too, with the socket error as its inner exception.
    /// </remarks>
    /// <returns>A task that completes when the server has agreed to TLS.</returns>
    public static Task NegotiateAsync(Stream stream, StartTlsProtocol protocol, string? serverName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = new StartTlsConnection(stream, protocol, cancellationToken);
        return protocol switch
        {
            StartTlsProtocol.None => Task.CompletedTask,
            StartTlsProtocol.Smtp => SmtpStartTls.NegotiateAsync(connection, DnsNameOrPlaceholder(serverName)),
            StartTlsProtocol.Imap => ImapStartTls.NegotiateAsync(connection),
            StartTlsProtocol.Pop3 => Pop3StartTls.NegotiateAsync(connection),
            StartTlsProtocol.Ftp => FtpStartTls.NegotiateAsync(connection),
            StartTlsProtocol.Ldap => LdapStartTls.NegotiateAsync(connection),
            StartTlsProtocol.Xmpp => XmppStartTls.NegotiateAsync(connection, XmppDomain(serverName)),
            StartTlsProtocol.PostgreSql => PostgreSqlStartTls.NegotiateAsync(connection),
            StartTlsProtocol.MySql => MySqlStartTls.NegotiateAsync(connection),
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "unknown STARTTLS protocol"),
        };
    }

    /// <summary>
    /// <paramref name="name"/> when it is a DNS name of letters, digits, hyphens, underscores and dots (RFC 1123 §2.1
    /// host names, plus the underscore some internal names carry), at most 253 characters; otherwise the placeholder.
    /// </summary>
    internal static string DnsNameOrPlaceholder(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 253 || IPAddress.TryParse(name, out _))
        {
            return PlaceholderName;
        }

        var trimmed = name.TrimEnd('.');
        var valid = trimmed.Length > 0 && trimmed.Split('.').All(label =>
            label.Length is > 0 and <= 63
            && label[0] != '-' && label[^1] != '-'
            && label.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_'));
        return valid ? trimmed : PlaceholderName;
    }

    /// <summary>RFC 7622 §3.2: an XMPP domainpart is a DNS name or an IP literal (IPv6 without brackets).</summary>
    private static string XmppDomain(string? name) =>
        name is not null && IPAddress.TryParse(name.Trim('[', ']'), out var address)
            && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? address.ToString()
            : DnsNameOrPlaceholder(name);
}
