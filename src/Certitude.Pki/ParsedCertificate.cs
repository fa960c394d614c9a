using System.Formats.Asn1;

namespace Certitude.Pki;

/// <summary>
/// The parts of an X.509 certificate (RFC 5280 §4.1) located in its encoding but not yet interpreted. Both the facts
/// reader and the chain linker start here, so there is one certificate parser.
/// </summary>
internal sealed class ParsedCertificate
{
    private static readonly Asn1Tag VersionTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag IssuerUniqueIdTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag SubjectUniqueIdTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag ExtensionsTag = new(TagClass.ContextSpecific, 3, isConstructed: true);

    private ParsedCertificate()
    {
    }

    /// <summary>The certificate's encoding, exactly as given.</summary>
    public required byte[] Der { get; init; }

    /// <summary>The full encoding of tbsCertificate: the bytes the signature covers.</summary>
    public required ReadOnlyMemory<byte> TbsCertificate { get; init; }

    /// <summary>1, 2 or 3.</summary>
    public required int Version { get; init; }

    /// <summary>The serial number INTEGER's content octets.</summary>
    public required ReadOnlyMemory<byte> SerialNumber { get; init; }

    /// <summary>The issuer Name's full encoding.</summary>
    public required ReadOnlyMemory<byte> Issuer { get; init; }

    /// <summary>The subject Name's full encoding.</summary>
    public required ReadOnlyMemory<byte> Subject { get; init; }

    /// <summary>notBefore, UTC.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>notAfter, UTC.</summary>
    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The subject's public key.</summary>
    public required SubjectPublicKeyInfo PublicKey { get; init; }

    /// <summary>Extensions in certificate order; empty for v1 and v2 certificates.</summary>
    public required IReadOnlyList<CertificateExtension> Extensions { get; init; }

    /// <summary>The outer signatureAlgorithm (RFC 5280 §4.1.1.2).</summary>
    public required AlgorithmIdentifier SignatureAlgorithm { get; init; }

    /// <summary>The signatureValue BIT STRING's bytes.</summary>
    public required ReadOnlyMemory<byte> Signature { get; init; }

    /// <summary>Locates the parts of one certificate; the input must hold exactly one certificate.</summary>
    /// <exception cref="CertificateFormatException">The bytes are not a certificate.</exception>
    public static ParsedCertificate Parse(byte[] der)
    {
        if (der.Length == 0)
        {
            throw new CertificateFormatException("not a certificate: no data");
        }

        var step = "certificate";
        try
        {
            return Parse(der, AsnEncodingRules.DER, ref step);
        }
        catch (AsnContentException)
        {
            // Retried below with BER, which accepts the encoding slips that deployed certificates have.
        }

        step = "certificate";
        try
        {
            return Parse(der, AsnEncodingRules.BER, ref step);
        }
        catch (AsnContentException e)
        {
            throw new CertificateFormatException(Describe(der, step, e), e);
        }
    }

    private static string Describe(byte[] der, string step, AsnContentException error)
    {
        if (der[0] != 0x30)
        {
            return "not a certificate: does not start with an ASN.1 SEQUENCE";
        }

        if (DerHeader.TryRead(der, out var header) && header.TotalLength is { } total && total > der.Length)
        {
            return $"truncated certificate: it declares {total} bytes but only {der.Length} are present";
        }

        return $"not a valid X.509 certificate: cannot read {step} ({error.Message.TrimEnd('.')})";
    }

    private static ParsedCertificate Parse(byte[] der, AsnEncodingRules rules, ref string step)
    {
        var outer = new AsnReader(der, rules);
        var certificate = outer.ReadSequence();
        if (outer.HasData)
        {
            throw new CertificateFormatException("not a valid X.509 certificate: trailing data after the certificate");
        }

        step = "tbsCertificate";
        var tbsEncoded = certificate.PeekEncodedValue();
        var tbs = certificate.ReadSequence();
        step = "signatureAlgorithm";
        var signatureAlgorithm = AsnReading.ReadAlgorithmIdentifier(certificate);
        step = "signatureValue";
        var signature = certificate.ReadBitString(out _);
        certificate.ThrowIfNotEmpty();

        step = "version";
        var version = 1;
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(VersionTag))
        {
            var explicitVersion = tbs.ReadSequence(VersionTag);
            if (!explicitVersion.TryReadInt32(out var raw) || raw is < 0 or > 2)
            {
                throw new CertificateFormatException("not a valid X.509 certificate: unsupported version");
            }

            explicitVersion.ThrowIfNotEmpty();
            version = raw + 1;
        }

        step = "serialNumber";
        var serial = AsnReading.ReadIntegerContent(tbs);
        step = "signature";
        AsnReading.ReadAlgorithmIdentifier(tbs);
        step = "issuer";
        var issuer = ReadName(tbs);
        step = "validity";
        var validity = tbs.ReadSequence();
        var notBefore = AsnReading.ReadTime(validity);
        var notAfter = AsnReading.ReadTime(validity);
        validity.ThrowIfNotEmpty();
        step = "subject";
        var subject = ReadName(tbs);
        step = "subjectPublicKeyInfo";
        var spkiEncoded = tbs.PeekEncodedValue();
        var spki = tbs.ReadSequence();
        var keyAlgorithm = AsnReading.ReadAlgorithmIdentifier(spki);
        var key = spki.ReadBitString(out _);
        spki.ThrowIfNotEmpty();

        step = "issuerUniqueID";
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(IssuerUniqueIdTag))
        {
            tbs.ReadEncodedValue();
        }

        step = "subjectUniqueID";
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(SubjectUniqueIdTag))
        {
            tbs.ReadEncodedValue();
        }

        step = "extensions";
        var extensions = new List<CertificateExtension>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(ExtensionsTag))
        {
            var explicitExtensions = tbs.ReadSequence(ExtensionsTag);
            var sequence = explicitExtensions.ReadSequence();
            explicitExtensions.ThrowIfNotEmpty();
            while (sequence.HasData)
            {
                var extension = sequence.ReadSequence();
                var oid = extension.ReadObjectIdentifier();
                var critical = extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && extension.ReadBoolean();
                var value = extension.ReadOctetString();
                extension.ThrowIfNotEmpty();
                extensions.Add(new CertificateExtension(oid, critical, value));
            }
        }

        step = "tbsCertificate";
        tbs.ThrowIfNotEmpty();

        return new ParsedCertificate
        {
            Der = der,
            TbsCertificate = tbsEncoded,
            Version = version,
            SerialNumber = serial,
            Issuer = issuer,
            Subject = subject,
            NotBefore = notBefore,
            NotAfter = notAfter,
            PublicKey = new SubjectPublicKeyInfo(spkiEncoded, keyAlgorithm, key),
            Extensions = extensions,
            SignatureAlgorithm = signatureAlgorithm,
            Signature = signature,
        };
    }

    private static ReadOnlyMemory<byte> ReadName(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (!tag.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            throw new AsnContentException($"expected a Name (SEQUENCE), found tag {tag}");
        }

        return reader.ReadEncodedValue();
    }
}
