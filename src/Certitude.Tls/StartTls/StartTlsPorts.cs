namespace Certitude.Tls.StartTls;

/// <summary>The STARTTLS step of well-known ports, and protocol names as people write them.</summary>
public static class StartTlsPorts
{
    /// <summary>The upgrade step of the service registered on <paramref name="port"/>; <see cref="StartTlsProtocol.None"/> for the rest.</summary>
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

    /// <summary>Parses "smtp", "submission", "imap", "pop3", "ftp", "ldap", "xmpp", "postgres", "postgresql", "mysql", "none" or "tls" (any case).</summary>
    public static bool TryParse(string name, out StartTlsProtocol protocol)
    {
        protocol = name.ToLowerInvariant() switch
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
            _ => (StartTlsProtocol)(-1),
        };
        return Enum.IsDefined(protocol);
    }
}
