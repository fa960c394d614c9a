using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Issuance;

/// <summary>
/// Reads one certificate signing request (PKCS #10, RFC 2986), as PEM (RFC 7468 §7, "CERTIFICATE REQUEST", or
/// "NEW CERTIFICATE REQUEST" as older Microsoft and Netscape tools write it) or DER, and verifies its self-signature,
/// the requester's proof that it holds the private key (RFC 2986 §3).
/// </summary>
public static class SigningRequestReader
{
    /// <summary>The largest input accepted, in bytes. A CSR with an RSA 4096 key and a hundred names is under 8 KiB as
    /// PEM; the limit keeps a hostile upload from costing more than one cheap pass.</summary>
    public const int MaximumInputBytes = 64 * 1024;

    private const string BadSignature = "the CSR's signature does not verify: it was altered or not signed by its key";
    private const string NotARequest = "not a certificate signing request: expected PEM text starting with "
        + "\"-----BEGIN CERTIFICATE REQUEST-----\" or a DER-encoded PKCS#10 request";

    private const string CommonName = "2.5.4.3";
    private const byte SequenceTag = 0x30;
    private static readonly Asn1Tag AttributesTag = new(TagClass.ContextSpecific, 0, isConstructed: true);

    /// <summary>
    /// Reads and verifies one certificate signing request. PEM may have any text around the block (a mail, a shell
    /// prompt, <c>openssl req -text</c> output); DER must be the request alone.
    /// </summary>
    /// <remarks>
    /// The signature is verified before anything the requester wrote is interpreted, so a request altered in transit is
    /// reported as altered rather than as whatever its damaged fields happen to look like. Signatures checked: RSA
    /// PKCS #1 v1.5 and RSASSA-PSS (RFC 8017 §8), ECDSA (RFC 5758 §3.2) and EdDSA (RFC 8410 §6). Keys accepted: RSA,
    /// RSA-PSS, EC on a named curve, Ed25519 and Ed448; whether a profile allows them is <see cref="ProfilePolicy"/>'s
    /// decision.
    /// </remarks>
    /// <param name="pemOrDer">The uploaded or pasted bytes, at most <see cref="MaximumInputBytes"/>.</param>
    /// <returns>The request's contents.</returns>
    /// <exception cref="SigningRequestException">The input is not exactly one well-formed CSR with a supported key and a
    /// valid signature; the message says which, in words the submitter can act on.</exception>
    public static SigningRequest Read(ReadOnlySpan<byte> pemOrDer)
    {
        if (pemOrDer.Length > MaximumInputBytes)
        {
            throw new SigningRequestException(
                $"the input is too large for a certificate signing request: {pemOrDer.Length} bytes, where at most 64 KiB are accepted");
        }

        if (pemOrDer.IndexOfAnyExcept(" \t\r\n\0"u8) < 0)
        {
            throw new SigningRequestException("the input is empty: paste or upload a certificate signing request");
        }

        var hasPem = pemOrDer.IndexOf("-----BEGIN "u8) >= 0;
        if (DerHeader.TryRead(pemOrDer, out var header) && header.Tag == SequenceTag
            && header.TotalLength is { } total && total <= pemOrDer.Length)
        {
            if (!hasPem)
            {
                return ReadDer(pemOrDer, (int)total);
            }

            try
            {
                return ReadDer(pemOrDer, (int)total);
            }
            catch (SigningRequestException)
            {
                // Text that merely starts with "0" (0x30) looks like DER; the PEM block in it is what was meant.
            }
        }

        if (hasPem)
        {
            return ReadPem(pemOrDer);
        }

        if (pemOrDer[0] == SequenceTag && header.TotalLength is { } declared && declared > pemOrDer.Length)
        {
            throw new SigningRequestException(
                $"the certificate signing request is truncated: it declares {declared} bytes but only {pemOrDer.Length} arrived");
        }

        throw new SigningRequestException(NotARequest);
    }

    private static SigningRequest ReadPem(ReadOnlySpan<byte> content)
    {
        var requests = new List<PemBlock>();
        var otherLabels = new List<string>();
        var scanner = new PemScanner(content);
        try
        {
            while (scanner.TryReadNext(out var block))
            {
                if (block.Label is "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST")
                {
                    requests.Add(block);
                }
                else
                {
                    otherLabels.Add(block.Label);
                }
            }
        }
        catch (CertificateFormatException e)
        {
            throw new SigningRequestException($"the PEM text is incomplete: {e.Message}", e);
        }

        if (requests.Count > 1)
        {
            throw new SigningRequestException(
                $"the input holds {requests.Count} certificate signing requests; submit one at a time");
        }

        if (requests.Count == 0)
        {
            throw new SigningRequestException(DescribeOtherPem(otherLabels));
        }

        var request = requests[0];
        byte[] der;
        try
        {
            der = CertificateContainerDecoder.DecodeBase64(content.Slice(request.BodyStart, request.BodyLength), $"the {request.Label} block");
        }
        catch (CertificateFormatException e)
        {
            throw new SigningRequestException($"not a valid certificate signing request: {e.Message}", e);
        }

        if (!DerHeader.TryRead(der, out var header) || header.Tag != SequenceTag || header.TotalLength is not { } total)
        {
            throw new SigningRequestException("not a valid certificate signing request: the PEM block does not hold a PKCS#10 request");
        }

        if (total > der.Length)
        {
            throw new SigningRequestException(
                $"the certificate signing request is truncated: it declares {total} bytes but the PEM block holds {der.Length}");
        }

        return ReadDer(der, (int)total);
    }

    private static string DescribeOtherPem(List<string> labels)
    {
        if (labels.Count == 0)
        {
            return NotARequest;
        }

        if (labels.Any(l => l.Contains("CERTIFICATE", StringComparison.Ordinal) || l is "PKCS7" or "CMS"))
        {
            return "this is a certificate, not a certificate signing request: submit the CSR made with the key "
                + "(\"-----BEGIN CERTIFICATE REQUEST-----\")";
        }

        if (labels.Any(l => l.Contains("PRIVATE KEY", StringComparison.Ordinal)))
        {
            return "this is a private key, not a certificate signing request: never send a private key; submit the CSR made with it";
        }

        return $"no certificate signing request in the input (found PEM blocks: {string.Join(", ", labels.Distinct())})";
    }

    private static SigningRequest ReadDer(ReadOnlySpan<byte> content, int length)
    {
        var rest = content[length..];
        if (rest.IndexOfAnyExcept(" \t\r\n\0"u8) >= 0)
        {
            throw new SigningRequestException(DerHeader.TryRead(rest, out var next) && next.Tag == SequenceTag
                ? "the input holds more than one certificate signing request; submit one at a time"
                : "not a valid certificate signing request: unexpected data after the request");
        }

        var der = content[..length].ToArray();
        var request = Locate(der);

        PublicKeyDescription key;
        try
        {
            key = PublicKeyDescription.Describe(request.PublicKey);
        }
        catch (AsnContentException e)
        {
            throw new SigningRequestException("not a valid certificate signing request: its public key is malformed", e);
        }

        RefuseUnsupported(key, request.PublicKey);
        if (!SignatureVerifier.Verify(request.Info.Span, request.SignatureAlgorithm, request.Signature.Span, request.PublicKey))
        {
            var oid = request.SignatureAlgorithm.Oid;
            throw new SigningRequestException(SignatureAlgorithmNames.For(oid) == oid
                ? $"the CSR is signed with an unsupported algorithm ({oid}); sign it with RSA, ECDSA or Ed25519"
                : BadSignature);
        }

        return Interpret(der, request, key);
    }

    private static void RefuseUnsupported(PublicKeyDescription key, SubjectPublicKeyInfo spki)
    {
        const string Advice = "use an RSA, EC (P-256 or P-384) or Ed25519 key";
        var problem = key.Algorithm switch
        {
            "RSA" or "RSA-PSS" or "EC" when !SignatureVerifier.WithinLimits(spki) =>
                $"{key.Algorithm} keys of {key.Size} bits (or with so large an exponent) are not supported",
            "RSA" or "RSA-PSS" or "Ed25519" or "Ed448" => null,
            "EC" when PublicKeyDescription.IsNamedCurve(key.Curve) => null,
            "EC" => $"EC keys on {(key.Curve is null ? "explicitly specified curves" : "curve " + key.Curve)} are not supported",
            "X25519" or "X448" => $"{key.Algorithm} keys only agree on keys and cannot sign, so they cannot be certified here",
            "DSA" => "DSA keys are not supported",
            _ => $"keys of algorithm {key.Algorithm} are not supported",
        };
        if (problem is not null)
        {
            throw new SigningRequestException($"unsupported key: {problem}; {Advice}");
        }
    }

    private static SigningRequest Interpret(byte[] der, LocatedRequest request, PublicKeyDescription key)
    {
        DistinguishedName subject;
        try
        {
            subject = DistinguishedName.Parse(request.Subject);
        }
        catch (AsnContentException e)
        {
            throw new SigningRequestException("not a valid certificate signing request: its subject name is malformed", e);
        }

        List<SubjectAlternativeName> names = [];
        if (request.SubjectAltName is { } value)
        {
            try
            {
                names = AsnReading.DecodeLenient(value, reader =>
                {
                    var all = GeneralNameReader.ReadAll(reader);
                    reader.ThrowIfNotEmpty();
                    return all;
                });
            }
            catch (AsnContentException e)
            {
                throw new SigningRequestException("not a valid certificate signing request: its subject alternative names are malformed", e);
            }
        }

        PublicKey publicKey;
        try
        {
            publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(request.PublicKey.Encoded.Span, out _);
        }
        catch (CryptographicException e)
        {
            throw new SigningRequestException("not a valid certificate signing request: its public key is malformed", e);
        }

        return new SigningRequest
        {
            Der = der,
            Subject = new X500DistinguishedName(request.Subject.Span),
            SubjectDistinguishedName = subject.ToRfc4514(),
            SubjectCommonName = subject.First(CommonName),
            SubjectAlternativeNames = names,
            PublicKey = publicKey,
            Key = key,
            SignatureAlgorithm = SignatureAlgorithmNames.For(request.SignatureAlgorithm.Oid),
            SignatureAlgorithmOid = request.SignatureAlgorithm.Oid,
            SignedWithSha1 = IsSha1(request.SignatureAlgorithm),
        };
    }

    private static bool IsSha1(AlgorithmIdentifier algorithm)
    {
        switch (algorithm.Oid)
        {
            case Oids.Sha1WithRsa or "1.3.14.3.2.29" or Oids.EcdsaWithSha1 or Oids.DsaWithSha1:
                return true;
            case Oids.RsaPss:
                try
                {
                    return RsaPssParameters.Read(algorithm.Parameters).HashOid == Oids.Sha1;
                }
                catch (AsnContentException)
                {
                    return false;
                }

            default:
                return false;
        }
    }

    /// <summary>Finds the request's parts without interpreting what the requester wrote in them.</summary>
    private static LocatedRequest Locate(byte[] der)
    {
        var step = "request";
        try
        {
            return Locate(der, AsnEncodingRules.DER, ref step);
        }
        catch (AsnContentException)
        {
            // Retried with BER, which accepts the encoding slips some older tools make; the signature covers the bytes as sent.
        }

        step = "request";
        try
        {
            return Locate(der, AsnEncodingRules.BER, ref step);
        }
        catch (AsnContentException e)
        {
            if (IsCertificate(der))
            {
                throw new SigningRequestException(
                    "this is a certificate, not a certificate signing request: submit the CSR made with the key", e);
            }

            throw new SigningRequestException($"not a valid certificate signing request: cannot read its {step}", e);
        }
    }

    private static bool IsCertificate(byte[] der)
    {
        try
        {
            ParsedCertificate.Parse(der);
            return true;
        }
        catch (CertificateFormatException)
        {
            return false;
        }
    }

    private static LocatedRequest Locate(byte[] der, AsnEncodingRules rules, ref string step)
    {
        // CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
        // (RFC 2986 §4.2).
        var outer = new AsnReader(der, rules);
        var request = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        step = "certificationRequestInfo";
        var infoEncoded = request.PeekEncodedValue();
        var info = request.ReadSequence();
        step = "signature algorithm";
        var signatureAlgorithm = AsnReading.ReadAlgorithmIdentifier(request);
        step = "signature";
        var signature = request.ReadBitString(out _);
        request.ThrowIfNotEmpty();

        // CertificationRequestInfo ::= SEQUENCE { version INTEGER { v1(0) }, subject Name,
        // subjectPKInfo SubjectPublicKeyInfo, attributes [0] Attributes } (RFC 2986 §4.1).
        step = "version";
        if (!info.TryReadInt32(out var version))
        {
            throw new AsnContentException("version is not a small INTEGER");
        }

        if (version != 0)
        {
            throw new SigningRequestException($"unsupported certificate signing request version {version + 1}: only PKCS#10 version 1 exists");
        }

        step = "subject name";
        var subjectTag = info.PeekTag();
        if (!subjectTag.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            throw new AsnContentException($"expected a Name (SEQUENCE), found tag {subjectTag}");
        }

        var subject = info.ReadEncodedValue();
        step = "public key";
        var spkiEncoded = info.PeekEncodedValue();
        var spki = info.ReadSequence();
        var keyAlgorithm = AsnReading.ReadAlgorithmIdentifier(spki);
        var key = spki.ReadBitString(out _);
        spki.ThrowIfNotEmpty();

        step = "attributes";
        ReadOnlyMemory<byte>? subjectAltName = null;
        // RFC 2986 makes the attributes field mandatory, but some encoders leave it out when it is empty.
        if (info.HasData)
        {
            subjectAltName = ReadRequestedSubjectAltName(info.ReadSetOf(skipSortOrderValidation: true, AttributesTag), ref step);
        }

        step = "certificationRequestInfo";
        info.ThrowIfNotEmpty();

        return new LocatedRequest(infoEncoded, subject, new SubjectPublicKeyInfo(spkiEncoded, keyAlgorithm, key), subjectAltName,
            signatureAlgorithm, signature);
    }

    private static ReadOnlyMemory<byte>? ReadRequestedSubjectAltName(AsnReader attributes, ref string step)
    {
        // Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY } (RFC 2986 §4.1); extensionRequest's one
        // value is Extensions ::= SEQUENCE OF Extension (RFC 2985 §5.4.2, RFC 5280 §4.1). The first subjectAltName wins.
        ReadOnlyMemory<byte>? subjectAltName = null;
        while (attributes.HasData)
        {
            var attribute = attributes.ReadSequence();
            var type = attribute.ReadObjectIdentifier();
            var values = attribute.ReadSetOf(skipSortOrderValidation: true);
            attribute.ThrowIfNotEmpty();
            if (type is not (Oids.ExtensionRequest or Oids.MicrosoftExtensionRequest))
            {
                continue;
            }

            step = "requested extensions";
            while (values.HasData)
            {
                var extensions = values.ReadSequence();
                while (extensions.HasData)
                {
                    var extension = extensions.ReadSequence();
                    var oid = extension.ReadObjectIdentifier();
                    if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                    {
                        extension.ReadBoolean();
                    }

                    var value = extension.ReadOctetString();
                    extension.ThrowIfNotEmpty();
                    if (oid == Oids.SubjectAltName && subjectAltName is null)
                    {
                        subjectAltName = value;
                    }
                }
            }

            step = "attributes";
        }

        return subjectAltName;
    }

    /// <summary>The parts of a CertificationRequest, located but not interpreted.</summary>
    private sealed record LocatedRequest(
        ReadOnlyMemory<byte> Info,
        ReadOnlyMemory<byte> Subject,
        SubjectPublicKeyInfo PublicKey,
        ReadOnlyMemory<byte>? SubjectAltName,
        AlgorithmIdentifier SignatureAlgorithm,
        ReadOnlyMemory<byte> Signature);
}
