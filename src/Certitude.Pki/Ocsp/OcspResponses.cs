namespace Certitude.Pki.Ocsp;

/// <summary>Unsigned OCSP responses: the error statuses of RFC 6960 §2.3, which carry no responseBytes (§4.2.1).</summary>
public static class OcspResponses
{
    /// <summary>
    /// Encodes an OCSPResponse holding only <paramref name="status"/>, e.g. <see cref="OcspResponseStatus.MalformedRequest"/>
    /// for a request <see cref="OcspRequestReader"/> refused. Such responses are not signed (RFC 6960 §2.3).
    /// </summary>
    /// <param name="status">Any status except <see cref="OcspResponseStatus.Successful"/>.</param>
    /// <returns>The DER OCSPResponse (five bytes), served as application/ocsp-response.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The status is <see cref="OcspResponseStatus.Successful"/> (which needs a signed response: <see cref="OcspResponseSigner"/>)
    /// or not a defined value.
    /// </exception>
    public static byte[] Error(OcspResponseStatus status)
    {
        if (status == OcspResponseStatus.Successful || !Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "an error response needs an error status");
        }

        // SEQUENCE { responseStatus ENUMERATED }, written out: the whole response is these five octets.
        return [0x30, 0x03, 0x0A, 0x01, (byte)status];
    }
}
