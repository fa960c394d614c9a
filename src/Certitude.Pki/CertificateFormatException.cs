namespace Certitude.Pki;

/// <summary>
/// Thrown when bytes are not a certificate or a certificate container this library can read. The message is short and
/// meant for people ("file is empty", "wrong PKCS#12 password", "PEM block 2 (CERTIFICATE) has invalid base64").
/// </summary>
public sealed class CertificateFormatException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public CertificateFormatException()
        : base("not a certificate")
    {
    }

    /// <summary>Creates the exception with a readable reason.</summary>
    /// <param name="message">Why the input was rejected.</param>
    public CertificateFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a readable reason and the lower-level error behind it.</summary>
    /// <param name="message">Why the input was rejected.</param>
    /// <param name="innerException">The decoder's own error.</param>
    public CertificateFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
