namespace Certitude.Tls.StartTls;

/// <summary>The server did not agree to upgrade the connection to TLS (or did not speak the expected protocol).</summary>
public sealed class StartTlsException(StartTlsProtocol protocol, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The protocol whose STARTTLS step failed.</summary>
    public StartTlsProtocol Protocol { get; } = protocol;
}
