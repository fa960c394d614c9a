namespace Certitude.Tls.Probing;

/// <summary>A probe that got no certificate, with the reason.</summary>
public sealed class TlsProbeException : Exception
{
    /// <summary>A failure of the given kind.</summary>
    public TlsProbeException(TlsProbeFailure failure, string message, byte? alertDescription = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        AlertDescription = alertDescription;
    }

    /// <summary>The kind of failure.</summary>
    public TlsProbeFailure Failure { get; }

    /// <summary>The alert's description code (RFC 8446 §6) when <see cref="Failure"/> is <see cref="TlsProbeFailure.Alert"/>.</summary>
    public byte? AlertDescription { get; }
}
