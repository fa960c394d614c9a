namespace Certitude.Tls.Probing;

/// <summary>Why a probe got no certificate.</summary>
public enum TlsProbeFailure
{
    /// <summary>The server answered with an alert (see <see cref="TlsProbeException.AlertDescription"/>).</summary>
    Alert,

    /// <summary>The server closed or reset the connection before sending its certificate.</summary>
    ConnectionClosed,

    /// <summary>The bytes the server sent are not TLS records (a plain-text service, an HTTP server, garbage).</summary>
    NotTls,

    /// <summary>The server spoke TLS but a message was malformed or out of order.</summary>
    Malformed,

    /// <summary>A message exceeded the probe's size limit (a hostile or broken server).</summary>
    TooLarge,
}
