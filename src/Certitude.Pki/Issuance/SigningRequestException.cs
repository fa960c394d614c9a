namespace Certitude.Pki.Issuance;

/// <summary>
/// Thrown when bytes are not one certificate signing request (PKCS #10, RFC 2986) that Certitude can act on. The message
/// is a short sentence meant for the person who submitted the request ("the CSR's signature does not verify: it was
/// altered or not signed by its key", "this is a certificate, not a certificate signing request").
/// </summary>
public sealed class SigningRequestException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public SigningRequestException()
        : base("not a certificate signing request")
    {
    }

    /// <summary>Creates the exception with a readable reason.</summary>
    /// <param name="message">Why the request was refused.</param>
    public SigningRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a readable reason and the lower-level error behind it.</summary>
    /// <param name="message">Why the request was refused.</param>
    /// <param name="innerException">The decoder's own error.</param>
    public SigningRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
