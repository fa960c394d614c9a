using System.Buffers;
using System.Formats.Asn1;

namespace Certitude.Pki.Ocsp;

/// <summary>Reads OCSP requests (RFC 6960 §4.1) as a responder receives them, over POST or GET (Appendix A.1).</summary>
public static class OcspRequestReader
{
    /// <summary>The largest request accepted, in bytes; real requests are a few hundred bytes.</summary>
    public const int MaxRequestLength = 64 * 1024;

    /// <summary>The most single requests (certificates) accepted in one request.</summary>
    public const int MaxCertificates = 100;

    /// <summary>The longest nonce accepted, in bytes (RFC 8954 §2.1).</summary>
    public const int MaxNonceLength = 32;

    private static readonly Asn1Tag SignatureTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag VersionTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag RequestorNameTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag RequestExtensionsTag = new(TagClass.ContextSpecific, 2, isConstructed: true);
    private static readonly Asn1Tag SingleRequestExtensionsTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly byte[] EncodedNonceOid = EncodeOid(OcspOids.Nonce);

    /// <summary>
    /// Reads a DER (or BER) OCSPRequest (RFC 6960 §4.1.1): every CertID and the nonce. A signature on the request
    /// (optionalSignature, §4.1.2), a requestorName and extensions other than the nonce are skipped: this responder
    /// answers unsigned and signed requests alike.
    /// </summary>
    /// <param name="der">The request body, e.g. of a POST with Content-Type application/ocsp-request.</param>
    /// <returns>The certificates asked about and the nonce to echo.</returns>
    /// <exception cref="OcspFormatException">
    /// The bytes are not an OCSP request, are over <see cref="MaxRequestLength"/> bytes, ask about no certificate or
    /// more than <see cref="MaxCertificates"/>, or carry a nonce of 0 or more than <see cref="MaxNonceLength"/> bytes
    /// (which RFC 8954 §2.1 says to reject). Answer with <see cref="OcspResponseStatus.MalformedRequest"/>.
    /// </exception>
    public static OcspRequestInfo Read(ReadOnlySpan<byte> der)
    {
        if (der.IsEmpty)
        {
            throw new OcspFormatException("request is empty");
        }

        if (der.Length > MaxRequestLength)
        {
            throw new OcspFormatException($"request is larger than {MaxRequestLength / 1024} KiB");
        }

        try
        {
            return ReadRequest(der);
        }
        catch (AsnContentException e)
        {
            throw new OcspFormatException($"not a valid OCSP request ({e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>
    /// Reads a request sent with GET (RFC 6960 Appendix A.1): the URL-encoded base64 of the DER request, as found in
    /// the path after the responder's URL. Percent-escapes are decoded here (harmless if the router already did), and
    /// the slips clients and proxies make are tolerated: base64url characters, missing padding, '+' turned into a space.
    /// </summary>
    /// <param name="encoded">The path segment(s) after the responder's base URL.</param>
    /// <returns>The certificates asked about and the nonce to echo.</returns>
    /// <exception cref="OcspFormatException">The text is not base64, or the decoded bytes are rejected by <see cref="Read"/>.</exception>
    public static OcspRequestInfo ReadFromGetPath(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);

        // Checked before unescaping so an oversized path costs nothing: base64 is 4/3 of the bytes, percent-escapes triple that.
        const int MaxEncodedLength = ((MaxRequestLength + 2) / 3 * 4 * 3) + 3;
        if (encoded.Length > MaxEncodedLength)
        {
            throw new OcspFormatException($"request is larger than {MaxRequestLength / 1024} KiB");
        }

        var text = encoded.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(encoded) : encoded;
        var chars = ArrayPool<char>.Shared.Rent(text.Length + 3);
        var bytes = ArrayPool<byte>.Shared.Rent((text.Length / 4 * 3) + 3);
        try
        {
            var length = 0;
            foreach (var c in text)
            {
                chars[length++] = c switch
                {
                    '-' or ' ' => '+',
                    '_' => '/',
                    _ => c,
                };
            }

            while (length % 4 != 0)
            {
                chars[length++] = '=';
            }

            if (!Convert.TryFromBase64Chars(chars.AsSpan(0, length), bytes, out var written))
            {
                throw new OcspFormatException("request in the URL is not valid base64");
            }

            return Read(bytes.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static OcspRequestInfo ReadRequest(ReadOnlySpan<byte> der)
    {
        // BER is accepted as well: it costs nothing over DER here, and nothing in a request is signed by us or hashed.
        var outer = new AsnSpanReader(der, AsnEncodingRules.BER);
        var request = outer.ReadSequence();
        outer.ThrowIfNotEmpty();

        var tbs = request.ReadSequence();
        if (request.NextIs(SignatureTag))
        {
            request.ReadEncodedValue();
        }

        request.ThrowIfNotEmpty();

        if (tbs.NextIs(VersionTag))
        {
            var explicitVersion = tbs.ReadSequence(VersionTag);
            var version = explicitVersion.ReadInt32();
            explicitVersion.ThrowIfNotEmpty();
            if (version != 0)
            {
                throw new OcspFormatException($"unsupported request version {version + 1}");
            }
        }

        if (tbs.NextIs(RequestorNameTag))
        {
            tbs.ReadEncodedValue();
        }

        var requestList = tbs.ReadSequence();
        var certificates = new List<OcspCertificateId>(1);
        while (requestList.HasData)
        {
            if (certificates.Count == MaxCertificates)
            {
                throw new OcspFormatException($"request lists more than {MaxCertificates} certificates");
            }

            var single = requestList.ReadSequence();
            certificates.Add(ReadCertificateId(ref single));
            if (single.NextIs(SingleRequestExtensionsTag))
            {
                single.ReadEncodedValue();
            }

            single.ThrowIfNotEmpty();
        }

        if (certificates.Count == 0)
        {
            throw new OcspFormatException("request lists no certificates");
        }

        byte[]? nonce = null;
        if (tbs.NextIs(RequestExtensionsTag))
        {
            var explicitExtensions = tbs.ReadSequence(RequestExtensionsTag);
            var extensions = explicitExtensions.ReadSequence();
            explicitExtensions.ThrowIfNotEmpty();
            nonce = ReadNonce(ref extensions);
        }

        tbs.ThrowIfNotEmpty();
        return new OcspRequestInfo(certificates, nonce);
    }

    private static OcspCertificateId ReadCertificateId(ref AsnSpanReader single)
    {
        var certId = single.ReadSequence();
        var algorithmIdentifier = certId.ReadSequence();
        var encodedOid = algorithmIdentifier.ReadEncodedValue();

        // Parameters are NULL or absent for the SHA family (RFC 5754 §2); whatever is there does not change the hash.
        if (algorithmIdentifier.HasData)
        {
            algorithmIdentifier.ReadEncodedValue();
        }

        algorithmIdentifier.ThrowIfNotEmpty();
        var oid = OcspHashAlgorithm.FromEncodedOid(encodedOid)?.Oid ?? ReadUnknownOid(encodedOid);

        var nameHash = certId.ReadOctetString();
        var keyHash = certId.ReadOctetString();
        var serial = certId.ReadIntegerContent().ToArray();
        certId.ThrowIfNotEmpty();
        return new OcspCertificateId(oid, nameHash, keyHash, serial);
    }

    /// <summary>
    /// Decodes an OID no CertID hash has: kept so the response can echo it (with status unknown). Arcs are arbitrary
    /// precision, so a hostile kilobyte-long OID would cost big-number arithmetic; real ones are a dozen octets.
    /// </summary>
    private static string ReadUnknownOid(ReadOnlySpan<byte> encodedOid)
    {
        const int MaxOidLength = 64;
        if (encodedOid.Length > MaxOidLength)
        {
            throw new OcspFormatException("hash algorithm identifier is implausibly long");
        }

        return AsnDecoder.ReadObjectIdentifier(encodedOid, AsnEncodingRules.BER, out _);
    }

    private static byte[]? ReadNonce(ref AsnSpanReader extensions)
    {
        byte[]? nonce = null;
        var seen = false;
        while (extensions.HasData)
        {
            var extension = extensions.ReadSequence();
            var isNonce = extension.ReadEncodedValue().SequenceEqual(EncodedNonceOid);
            if (extension.NextIs(Asn1Tag.Boolean))
            {
                extension.ReadBoolean();
            }

            var value = extension.ReadOctetString();
            extension.ThrowIfNotEmpty();
            if (!isNonce)
            {
                continue;
            }

            if (seen)
            {
                throw new OcspFormatException("request has two nonce extensions");
            }

            seen = true;
            nonce = UnwrapNonce(value);
        }

        return nonce;
    }

    /// <summary>
    /// The extnValue holds a Nonce ::= OCTET STRING (RFC 8954 §2.1), so it is an OCTET STRING inside an OCTET STRING, as
    /// OpenSSL and other current clients send it. Some old clients put the raw bytes in extnValue; those requests are
    /// answered without a nonce, which RFC 8954 permits, rather than refused.
    /// </summary>
    private static byte[]? UnwrapNonce(byte[] extensionValue)
    {
        byte[] nonce;
        try
        {
            nonce = AsnDecoder.ReadOctetString(extensionValue, AsnEncodingRules.BER, out var consumed);
            if (consumed != extensionValue.Length)
            {
                return null;
            }
        }
        catch (AsnContentException)
        {
            return null;
        }

        if (nonce.Length == 0 || nonce.Length > MaxNonceLength)
        {
            throw new OcspFormatException($"nonce is {nonce.Length} bytes long; RFC 8954 allows 1 to {MaxNonceLength}");
        }

        return nonce;
    }

    private static byte[] EncodeOid(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(oid);
        return writer.Encode();
    }
}
