namespace Certitude.Pki.Ocsp;

/// <summary>
/// Thrown when bytes are not an OCSP request this library accepts (RFC 6960 §4.1). A responder answers it with
/// <see cref="OcspResponseStatus.MalformedRequest"/> (RFC 6960 §2.3). The message is short and meant for logs
/// ("request is empty", "request lists more than 100 certificates").
/// </summary>
public sealed class OcspFormatException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public OcspFormatException()
        : base("not an OCSP request")
    {
    }

    /// <summary>Creates the exception with a readable reason.</summary>
    /// <param name="message">Why the request was rejected.</param>
    public OcspFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a readable reason and the lower-level error behind it.</summary>
    /// <param name="message">Why the request was rejected.</param>
    /// <param name="innerException">The decoder's own error.</param>
    public OcspFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
