namespace Certitude.Tls.Scanning;

/// <summary>Why an endpoint that accepted a connection gave no certificate.</summary>
public enum EndpointFailure
{
    /// <summary>No answer within the handshake timeout (a server that accepts and stays silent, or drips too slowly).</summary>
    Timeout,

    /// <summary>The STARTTLS step was refused or the service spoke another protocol.</summary>
    StartTlsRefused,

    /// <summary>The service does not speak TLS on this port.</summary>
    NotTls,

    /// <summary>The server refused every ClientHello with an alert.</summary>
    Alert,

    /// <summary>The server closed or reset the connection mid-handshake.</summary>
    ConnectionClosed,

    /// <summary>The server sent malformed TLS or an unreadable certificate.</summary>
    Malformed,

    /// <summary>The server sent more than the probe accepts.</summary>
    TooLarge,
}
