using System.Buffers.Text;

namespace Certitude.Pki;

/// <summary>
/// Finds the certificates in a file whatever its format: PEM (RFC 7468), DER (RFC 5280 §4.1), PKCS #7 / CMS
/// certificate bags (RFC 2315, RFC 5652) as DER or PEM, and PKCS #12 (RFC 7292).
/// </summary>
public static class CertificateContainerDecoder
{
    private const string NotACertificate = "not a certificate: expected PEM, DER, PKCS#7 or PKCS#12";
    private const byte SequenceTag = 0x30;
    private const byte ObjectIdentifierTag = 0x06;
    private const byte IntegerTag = 0x02;
    private static readonly byte[] Pkcs12Version = [0x02, 0x01, 0x03];

    /// <summary>
    /// Detects the format of <paramref name="content"/> and returns the DER of every certificate in it, each checked
    /// with <see cref="CertificateReader.ReadFacts"/>.
    /// </summary>
    /// <remarks>
    /// <para>Detection looks at a few leading bytes (a DER SEQUENCE whose first element is a SEQUENCE is a certificate,
    /// an OBJECT IDENTIFIER a PKCS #7 ContentInfo, an INTEGER a PFX) and otherwise searches once for
    /// "-----BEGIN ", so a large file that is no certificate container fails after at most one linear pass.</para>
    /// <para>In PEM, CERTIFICATE, X509 CERTIFICATE and TRUSTED CERTIFICATE (OpenSSL's form: the certificate followed
    /// by trust settings, which are dropped) blocks are certificates, and PKCS7, CMS and PKCS #7 SIGNED DATA blocks are
    /// certificate bags; other blocks (keys, requests, parameters) are skipped. A PEM file whose certificates all come
    /// from certificate bags is reported as <see cref="ContainerFormat.Pkcs7"/>.</para>
    /// </remarks>
    /// <param name="content">The file's bytes.</param>
    /// <param name="password">PKCS #12 password; null tries the empty password and no password.</param>
    /// <returns>The format and the certificates in file order.</returns>
    /// <exception cref="CertificateFormatException">The file holds no readable certificate; the message says why.</exception>
    public static DecodedContainer Decode(ReadOnlySpan<byte> content, string? password = null)
    {
        if (content.IsEmpty)
        {
            throw new CertificateFormatException("file is empty");
        }

        if (content.IndexOfAnyExcept(" \t\r\n\0"u8) < 0)
        {
            throw new CertificateFormatException("file contains only whitespace");
        }

        if (TryFindDerStructure(content, out var length, out var firstInnerTag))
        {
            return firstInnerTag switch
            {
                SequenceTag => new DecodedContainer(ContainerFormat.Der, ReadDerCertificates(content)),
                ObjectIdentifierTag => new DecodedContainer(ContainerFormat.Pkcs7, ValidateAll(Pkcs7CertificateReader.Read(content[..length].ToArray()), "PKCS#7")),
                _ => new DecodedContainer(ContainerFormat.Pkcs12, ValidateAll(Pkcs12CertificateReader.Read(content[..length].ToArray(), password), "PKCS#12")),
            };
        }

        if (content.IndexOf("-----BEGIN "u8) >= 0)
        {
            return DecodePem(content);
        }

        if (LooksTruncated(content, out var declared))
        {
            throw new CertificateFormatException($"truncated DER: the structure declares {declared} bytes but the file has {content.Length}");
        }

        throw new CertificateFormatException(NotACertificate);
    }

    /// <summary>
    /// True when the content starts with a complete SEQUENCE whose first element is a SEQUENCE (Certificate),
    /// OBJECT IDENTIFIER (ContentInfo) or INTEGER (PFX), followed by nothing but padding — or, for certificates, more
    /// certificates. Indefinite lengths are BER and so only accepted for PKCS #7 and PKCS #12.
    /// </summary>
    private static bool TryFindDerStructure(ReadOnlySpan<byte> content, out int length, out byte firstInnerTag)
    {
        length = 0;
        firstInnerTag = 0;
        if (!DerHeader.TryRead(content, out var header) || header.Tag != SequenceTag || header.HeaderLength >= content.Length)
        {
            return false;
        }

        firstInnerTag = content[header.HeaderLength];
        if (firstInnerTag is not (SequenceTag or ObjectIdentifierTag or IntegerTag)
            || !DerHeader.TryRead(content[header.HeaderLength..], out _))
        {
            return false;
        }

        // A PFX starts with version 3 (RFC 7292 §4); PKCS #8 and SEC 1 private keys also start with an INTEGER (0 or 1).
        if (firstInnerTag == IntegerTag && !content[header.HeaderLength..].StartsWith(Pkcs12Version))
        {
            return false;
        }

        if (header.TotalLength is not { } total)
        {
            length = content.Length;
            return firstInnerTag != SequenceTag;
        }

        if (total > content.Length)
        {
            return false;
        }

        length = (int)total;
        return firstInnerTag == SequenceTag || IsPadding(content[length..]);
    }

    /// <summary>True when the content starts like a certificate, ContentInfo or PFX whose declared length runs past the end.</summary>
    private static bool LooksTruncated(ReadOnlySpan<byte> content, out long declared)
    {
        declared = 0;
        if (!DerHeader.TryRead(content, out var header) || header.Tag != SequenceTag || header.TotalLength is not { } total
            || total <= content.Length || header.HeaderLength >= content.Length)
        {
            return false;
        }

        declared = total;
        var inner = content[header.HeaderLength..];
        return inner[0] is SequenceTag or ObjectIdentifierTag || inner.StartsWith(Pkcs12Version);
    }

    private static List<CertificateFacts> ReadDerCertificates(ReadOnlySpan<byte> content)
    {
        var certificates = new List<CertificateFacts>();
        var rest = content;
        while (!IsPadding(rest))
        {
            var number = certificates.Count + 1;
            if (!DerHeader.TryRead(rest, out var header) || header.Tag != SequenceTag || header.TotalLength is not { } total)
            {
                throw new CertificateFormatException($"not a certificate: unexpected data after DER certificate {number - 1}");
            }

            if (total > rest.Length)
            {
                throw new CertificateFormatException($"truncated DER: certificate {number} declares {total} bytes but only {rest.Length} remain");
            }

            var der = rest[..(int)total];
            certificates.Add(Validate(der, number == 1 && IsPadding(rest[(int)total..]) ? null : $"DER certificate {number}"));
            rest = rest[(int)total..];
        }

        return certificates;
    }

    private static DecodedContainer DecodePem(ReadOnlySpan<byte> content)
    {
        var certificates = new List<CertificateFacts>();
        var otherLabels = new List<string>();
        var onlyBags = true;
        var scanner = new PemScanner(content);
        while (scanner.TryReadNext(out var block))
        {
            var context = $"PEM block {block.Index} ({block.Label})";
            switch (block.Label)
            {
                case "CERTIFICATE" or "X509 CERTIFICATE" or "X.509 CERTIFICATE":
                    {
                        var der = DecodeBase64(content.Slice(block.BodyStart, block.BodyLength), context);
                        certificates.Add(Validate(der, context));
                        onlyBags = false;
                        break;
                    }

                case "TRUSTED CERTIFICATE":
                    {
                        // OpenSSL's X509_AUX form: the Certificate, then trust settings that are not part of it.
                        var der = DecodeBase64(content.Slice(block.BodyStart, block.BodyLength), context);
                        var certificate = DerHeader.TryRead(der, out var header) && header.TotalLength is { } total && total <= der.Length
                            ? der[..(int)total]
                            : der;
                        certificates.Add(Validate(certificate, context));
                        onlyBags = false;
                        break;
                    }

                case "PKCS7" or "CMS" or "PKCS #7 SIGNED DATA":
                    {
                        var der = DecodeBase64(content.Slice(block.BodyStart, block.BodyLength), context);
                        List<byte[]> bag;
                        try
                        {
                            bag = Pkcs7CertificateReader.Read(der);
                        }
                        catch (CertificateFormatException e)
                        {
                            throw new CertificateFormatException($"{context}: {e.Message}", e);
                        }

                        certificates.AddRange(ValidateAll(bag, context));
                        break;
                    }

                default:
                    otherLabels.Add(block.Label);
                    break;
            }
        }

        if (!scanner.FoundAny)
        {
            throw new CertificateFormatException(NotACertificate);
        }

        if (certificates.Count == 0)
        {
            throw new CertificateFormatException($"no certificate in file (PEM blocks found: {string.Join(", ", otherLabels.Distinct())})");
        }

        return new DecodedContainer(onlyBags ? ContainerFormat.Pkcs7 : ContainerFormat.Pem, certificates);
    }

    /// <summary>Decodes a PEM block's base64 body; <paramref name="context"/> names the block in error messages.</summary>
    /// <exception cref="CertificateFormatException">The body is not base64 or decodes to nothing.</exception>
    internal static byte[] DecodeBase64(ReadOnlySpan<byte> body, string context)
    {
        // RFC 7468 §3 lets whitespace appear anywhere in the base64 text (CRLF or LF line ends, trailing blanks).
        var compact = new byte[body.Length];
        var count = 0;
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f'))
            {
                compact[count++] = b;
            }
        }

        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(count)];
        var status = Base64.DecodeFromUtf8(compact.AsSpan(0, count), decoded, out var consumed, out var written);
        if (status != System.Buffers.OperationStatus.Done || consumed != count)
        {
            throw new CertificateFormatException($"{context} has invalid base64");
        }

        if (written == 0)
        {
            throw new CertificateFormatException($"{context} is empty");
        }

        return decoded[..written];
    }

    private static List<CertificateFacts> ValidateAll(List<byte[]> certificates, string context)
    {
        var facts = new List<CertificateFacts>(certificates.Count);
        for (var i = 0; i < certificates.Count; i++)
        {
            facts.Add(Validate(certificates[i], $"{context} certificate {i + 1}"));
        }

        return facts;
    }

    /// <summary>Reads the certificate's facts: proof it parses, and what the caller wants next anyway.</summary>
    private static CertificateFacts Validate(ReadOnlySpan<byte> der, string? context)
    {
        try
        {
            return CertificateReader.ReadFacts(der);
        }
        catch (CertificateFormatException e) when (context is not null)
        {
            throw new CertificateFormatException($"{context}: {e.Message}", e);
        }
    }

    private static bool IsPadding(ReadOnlySpan<byte> rest)
    {
        return rest.IndexOfAnyExcept(" \t\r\n\0"u8) < 0;
    }
}
