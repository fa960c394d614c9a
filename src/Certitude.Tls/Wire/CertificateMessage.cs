namespace Certitude.Tls.Wire;

/// <summary>Reads the certificate_list of a Certificate message, leaf first, each DER certificate copied out.</summary>
internal static class CertificateMessage
{
    /// <summary>SSL 3.0 to TLS 1.2 (RFC 5246 §7.4.2): certificate_list&lt;0..2^24-1&gt; of ASN.1Cert&lt;1..2^24-1&gt;.</summary>
    public static List<byte[]> ParseTls12(ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(body, "Certificate message");
        var list = new SpanReader(ReadList(ref reader), "certificate_list");
        var chain = new List<byte[]>(4);
        while (list.Remaining > 0)
        {
            chain.Add(ReadCertificate(ref list));
        }

        return NonEmpty(chain);
    }

    /// <summary>
    /// TLS 1.3 (RFC 8446 §4.4.2): certificate_request_context&lt;0..2^8-1&gt; then certificate_list of
    /// CertificateEntry { cert_data&lt;1..2^24-1&gt;; extensions&lt;0..2^16-1&gt; }.
    /// </summary>
    public static List<byte[]> ParseTls13(ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(body, "Certificate message");
        reader.ReadVector8();
        var list = new SpanReader(ReadList(ref reader), "certificate_list");
        var chain = new List<byte[]>(4);
        while (list.Remaining > 0)
        {
            chain.Add(ReadCertificate(ref list));
            list.ReadVector16();
        }

        return NonEmpty(chain);
    }

    private static ReadOnlySpan<byte> ReadList(ref SpanReader reader)
    {
        var list = reader.ReadVector24();
        if (reader.Remaining != 0)
        {
            throw TlsFailures.Malformed("the Certificate message has bytes after its certificate_list");
        }

        return list;
    }

    private static byte[] ReadCertificate(ref SpanReader list)
    {
        var certificate = list.ReadVector24();
        if (certificate.IsEmpty)
        {
            throw TlsFailures.Malformed("the Certificate message holds an empty certificate");
        }

        return certificate.ToArray();
    }

    private static List<byte[]> NonEmpty(List<byte[]> chain) =>
        chain.Count > 0 ? chain : throw TlsFailures.Malformed("the server sent an empty certificate_list");
}
