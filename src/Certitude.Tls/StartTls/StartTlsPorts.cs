namespace Certitude.Tls.StartTls;

/// <summary>Which STARTTLS step a port or a protocol name stands for.</summary>
public static class StartTlsPorts
{
    /// <summary>
    /// The STARTTLS protocol conventionally spoken on <paramref name="port"/> (IANA service names): 25 smtp and 587
    /// submission → <see cref="StartTlsProtocol.Smtp"/>, 110 → POP3, 143 → IMAP, 21 → FTP, 389 → LDAP, 5222 → XMPP,
    /// 5432 → PostgreSQL, 3306 → MySQL; every other port (443, 465, 993, 995, 636, ...: TLS from the first byte)
    /// → <see cref="StartTlsProtocol.None"/>.
    /// </summary>
    /// <param name="port">A TCP port.</param>
    /// <returns>The protocol, or <see cref="StartTlsProtocol.None"/>.</returns>
    public static StartTlsProtocol ForWellKnownPort(int port) => port switch
    {
        25 or 587 => StartTlsProtocol.Smtp,
        110 => StartTlsProtocol.Pop3,
        143 => StartTlsProtocol.Imap,
        21 => StartTlsProtocol.Ftp,
        389 => StartTlsProtocol.Ldap,
        5222 => StartTlsProtocol.Xmpp,
        5432 => StartTlsProtocol.PostgreSql,
        3306 => StartTlsProtocol.MySql,
        _ => StartTlsProtocol.None,
    };

    /// <summary>
    /// Parses a protocol name as users write it, case-insensitively: "smtp", "submission", "imap", "pop3", "ftp",
    /// "ldap", "xmpp", "postgres", "postgresql", "mysql", and "none" or "tls" for TLS from the first byte.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="protocol">The protocol when the name is known; <see cref="StartTlsProtocol.None"/> otherwise.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string name, out StartTlsProtocol protocol)
    {
        StartTlsProtocol? parsed = name?.Trim().ToLowerInvariant() switch
        {
            "smtp" or "submission" => StartTlsProtocol.Smtp,
            "imap" => StartTlsProtocol.Imap,
            "pop3" => StartTlsProtocol.Pop3,
            "ftp" => StartTlsProtocol.Ftp,
            "ldap" => StartTlsProtocol.Ldap,
            "xmpp" => StartTlsProtocol.Xmpp,
            "postgres" or "postgresql" => StartTlsProtocol.PostgreSql,
            "mysql" => StartTlsProtocol.MySql,
            "none" or "tls" => StartTlsProtocol.None,
            _ => null,
        };
        protocol = parsed ?? StartTlsProtocol.None;
        return parsed is not null;
    }
}
