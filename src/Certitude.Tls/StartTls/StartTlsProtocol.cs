namespace Certitude.Tls.StartTls;

/// <summary>How a connection is upgraded to TLS before the ClientHello: not at all, or by a protocol's STARTTLS step.</summary>
public enum StartTlsProtocol
{
    /// <summary>TLS from the first byte.</summary>
    None,

    /// <summary>SMTP and submission: EHLO, STARTTLS (RFC 3207).</summary>
    Smtp,

    /// <summary>IMAP: STARTTLS (RFC 9051 §6.2.1).</summary>
    Imap,

    /// <summary>POP3: STLS (RFC 2595 §4).</summary>
    Pop3,

    /// <summary>FTP: AUTH TLS (RFC 4217 §4).</summary>
    Ftp,

    /// <summary>LDAP: the StartTLS extended operation 1.3.6.1.4.1.1466.20037 (RFC 4511 §4.14).</summary>
    Ldap,

    /// <summary>XMPP: stream header, &lt;starttls/&gt; (RFC 6120 §5).</summary>
    Xmpp,

    /// <summary>PostgreSQL: SSLRequest (protocol documentation, "SSL Session Encryption").</summary>
    PostgreSql,

    /// <summary>MySQL: the SSL request packet after the server's greeting (CLIENT_SSL capability).</summary>
    MySql,
}
