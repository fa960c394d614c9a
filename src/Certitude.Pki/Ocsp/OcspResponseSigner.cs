using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Certitude.Pki.Ocsp;

/// <summary>
/// Signs OCSP responses (RFC 6960 §4.2) for one responder: either the CA itself or a delegated responder certificate
/// it issued with the id-kp-OCSPSigning extended key usage (§4.2.2.2). Everything that is the same in every response —
/// the ResponderID, the signatureAlgorithm and the certs field — is encoded once here, so <see cref="Sign"/> writes
/// only what changes and makes one signature. <see cref="Sign"/> may be called from several threads at once when the
/// generator's key allows concurrent signing, as .NET's RSA and ECDsa keys do.
/// </summary>
public sealed class OcspResponseSigner
{
    private static readonly Asn1Tag ResponseBytesTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag ResponderIdByKeyTag = new(TagClass.ContextSpecific, 2, isConstructed: true);
    private static readonly Asn1Tag ResponseExtensionsTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag CertsTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag GoodTag = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag RevokedTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag UnknownTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag NextUpdateTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag RevocationReasonTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly byte[] KeyCheckData = Encoding.ASCII.GetBytes("Certitude OCSP responder key check");

    // One writer per thread, reset between uses: its buffer is reused instead of grown anew for every response.
    [ThreadStatic]
    private static AsnWriter? s_writer;

    private readonly X509SignatureGenerator _generator;
    private readonly HashAlgorithmName _hashAlgorithm;
    private readonly byte[] _responderId;
    private readonly byte[] _signatureAlgorithm;
    private readonly byte[]? _certs;

    /// <summary>Prepares a responder's signer, checking that the generator's key belongs to the responder certificate.</summary>
    /// <param name="responderCertificate">
    /// The certificate whose key signs: the issuing CA's, or a delegated responder's issued by that CA with the
    /// id-kp-OCSPSigning extended key usage (RFC 6960 §4.2.2.2). Its private key is not needed here.
    /// </param>
    /// <param name="generator">
    /// Signs with the responder's private key, e.g. <see cref="X509SignatureGenerator.CreateForECDsa"/> or
    /// <see cref="X509SignatureGenerator.CreateForRSA"/>; its algorithm identifier becomes the signatureAlgorithm.
    /// </param>
    /// <param name="hashAlgorithm">The signature's hash, e.g. SHA-256.</param>
    /// <param name="includedCertificates">
    /// The certificates put in the certs field so clients can build the signer's chain (RFC 6960 §4.2.1). When null,
    /// the responder certificate is included if it is a delegated responder (it has id-kp-OCSPSigning) and nothing
    /// is included if the CA signs itself, since clients already hold their issuer. An empty list includes nothing.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The generator's signatures do not verify with the responder certificate's public key, or its algorithm
    /// identifier is not valid DER.
    /// </exception>
    public OcspResponseSigner(
        X509Certificate2 responderCertificate,
        X509SignatureGenerator generator,
        HashAlgorithmName hashAlgorithm,
        IReadOnlyList<X509Certificate2>? includedCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(responderCertificate);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrEmpty(hashAlgorithm.Name, nameof(hashAlgorithm));

        ResponderCertificate = responderCertificate;
        _generator = generator;
        _hashAlgorithm = hashAlgorithm;
        _signatureAlgorithm = generator.GetSignatureAlgorithmIdentifier(hashAlgorithm);
        CheckKeyMatches(responderCertificate, generator, hashAlgorithm, _signatureAlgorithm);

        // ResponderID byKey (RFC 6960 §4.2.1): SHA-1 of the subjectPublicKey BIT STRING's value, whatever the signature hash.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(ResponderIdByKeyTag))
        {
            writer.WriteOctetString(KeyHash(responderCertificate));
        }

        _responderId = writer.Encode();

        IncludedCertificates = includedCertificates?.ToArray()
            ?? (IsDelegatedResponder(responderCertificate) ? [responderCertificate] : []);
        if (IncludedCertificates.Count > 0)
        {
            writer.Reset();
            using (writer.PushSequence(CertsTag))
            {
                using (writer.PushSequence())
                {
                    foreach (var certificate in IncludedCertificates)
                    {
                        writer.WriteEncodedValue(certificate.RawData);
                    }
                }
            }

            _certs = writer.Encode();
        }
    }

    /// <summary>The certificate whose key signs the responses.</summary>
    public X509Certificate2 ResponderCertificate { get; }

    /// <summary>The certificates every response carries in its certs field (possibly none).</summary>
    public IReadOnlyList<X509Certificate2> IncludedCertificates { get; }

    /// <summary>
    /// Builds and signs a complete successful OCSPResponse (RFC 6960 §4.2.1): responseType id-pkix-ocsp-basic, a
    /// BasicOCSPResponse with the ResponderID byKey, one SingleResponse per entry of <paramref name="responses"/> in
    /// order, and the nonce echoed in responseExtensions (RFC 8954 §2.1) when given.
    /// </summary>
    /// <param name="responses">The statuses to report, normally one per CertID of the request; at least one.</param>
    /// <param name="nonce">The request's nonce (<see cref="OcspRequestInfo.Nonce"/>) or null for none.</param>
    /// <param name="producedAt">When the response is signed (whole seconds are encoded).</param>
    /// <returns>The DER OCSPResponse, served as application/ocsp-response.</returns>
    /// <exception cref="ArgumentException">
    /// No responses, an empty nonce, a revoked entry without a revocation time, an empty serial number, or a reason
    /// that is not a CRLReason of RFC 5280 §5.3.1.
    /// </exception>
    public byte[] Sign(IReadOnlyList<OcspSingleResponse> responses, byte[]? nonce, DateTimeOffset producedAt)
    {
        ArgumentNullException.ThrowIfNull(responses);
        if (responses.Count == 0)
        {
            throw new ArgumentException("a response reports at least one certificate", nameof(responses));
        }

        if (nonce is { Length: 0 })
        {
            throw new ArgumentException("a nonce has at least one octet (RFC 8954 §2.1)", nameof(nonce));
        }

        var writer = s_writer ??= new AsnWriter(AsnEncodingRules.DER);
        writer.Reset();
        using (writer.PushSequence())
        {
            // version [0] EXPLICIT DEFAULT v1 is omitted, as DER requires for a default value.
            writer.WriteEncodedValue(_responderId);
            writer.WriteGeneralizedTime(producedAt, omitFractionalSeconds: true);
            using (writer.PushSequence())
            {
                for (var i = 0; i < responses.Count; i++)
                {
                    WriteSingleResponse(writer, responses[i]);
                }
            }

            if (nonce is not null)
            {
                WriteNonceExtension(writer, nonce);
            }
        }

        var tbsResponseData = writer.Encode();
        var signature = _generator.SignData(tbsResponseData, _hashAlgorithm);

        writer.Reset();
        using (writer.PushSequence())
        {
            writer.WriteEnumeratedValue(OcspResponseStatus.Successful);
            using (writer.PushSequence(ResponseBytesTag))
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(OcspOids.BasicResponse);
                    using (writer.PushOctetString())
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteEncodedValue(tbsResponseData);
                            writer.WriteEncodedValue(_signatureAlgorithm);
                            writer.WriteBitString(signature);
                            if (_certs is not null)
                            {
                                writer.WriteEncodedValue(_certs);
                            }
                        }
                    }
                }
            }
        }

        var response = writer.Encode();
        writer.Reset();
        return response;
    }

    private static void WriteSingleResponse(AsnWriter writer, OcspSingleResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        using (writer.PushSequence())
        {
            WriteCertificateId(writer, response.Id);
            switch (response.Status)
            {
                case OcspCertificateStatus.Good:
                    writer.WriteNull(GoodTag);
                    break;
                case OcspCertificateStatus.Revoked:
                    WriteRevokedInfo(writer, response);
                    break;
                case OcspCertificateStatus.Unknown:
                    writer.WriteNull(UnknownTag);
                    break;
                default:
                    throw new ArgumentException($"status {response.Status} is not defined", nameof(response));
            }

            writer.WriteGeneralizedTime(response.ThisUpdate, omitFractionalSeconds: true);
            if (response.NextUpdate is { } nextUpdate)
            {
                using (writer.PushSequence(NextUpdateTag))
                {
                    writer.WriteGeneralizedTime(nextUpdate, omitFractionalSeconds: true);
                }
            }
        }
    }

    private static void WriteCertificateId(AsnWriter writer, OcspCertificateId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.SerialNumber.Length == 0)
        {
            throw new ArgumentException("a CertID's serial number has at least one octet", nameof(id));
        }

        using (writer.PushSequence())
        {
            var algorithm = OcspHashAlgorithm.FromOid(id.HashAlgorithmOid);
            if (algorithm is not null)
            {
                writer.WriteEncodedValue(algorithm.EncodedAlgorithmIdentifier);
            }
            else
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(id.HashAlgorithmOid);
                    writer.WriteNull();
                }
            }

            writer.WriteOctetString(id.IssuerNameHash);
            writer.WriteOctetString(id.IssuerKeyHash);
            WriteSerialNumber(writer, id.SerialNumber);
        }
    }

    /// <summary>
    /// Writes the serial number with exactly the request's octets: a client may match the CertID byte for byte, and
    /// a few deployed serials are not minimally encoded, which <see cref="AsnWriter.WriteInteger(ReadOnlySpan{byte}, Asn1Tag?)"/>
    /// would refuse.
    /// </summary>
    private static void WriteSerialNumber(AsnWriter writer, ReadOnlySpan<byte> serial)
    {
        var minimal = serial.Length == 1
            || !((serial[0] == 0x00 && serial[1] < 0x80) || (serial[0] == 0xFF && serial[1] >= 0x80));
        if (minimal)
        {
            writer.WriteInteger(serial);
            return;
        }

        var lengthOctets = serial.Length < 0x80 ? 0 : (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)serial.Length) + 7) / 8;
        var encoded = new byte[2 + lengthOctets + serial.Length];
        encoded[0] = 0x02;
        if (lengthOctets == 0)
        {
            encoded[1] = (byte)serial.Length;
        }
        else
        {
            encoded[1] = (byte)(0x80 | lengthOctets);
            for (var i = 0; i < lengthOctets; i++)
            {
                encoded[2 + i] = (byte)(serial.Length >> (8 * (lengthOctets - 1 - i)));
            }
        }

        serial.CopyTo(encoded.AsSpan(2 + lengthOctets));
        writer.WriteEncodedValue(encoded);
    }

    private static void WriteRevokedInfo(AsnWriter writer, OcspSingleResponse response)
    {
        var revokedAt = response.RevokedAt
            ?? throw new ArgumentException("a revoked certificate needs its revocation time", nameof(response));
        using (writer.PushSequence(RevokedTag))
        {
            writer.WriteGeneralizedTime(revokedAt, omitFractionalSeconds: true);
            if (response.Reason is { } reason)
            {
                // CRLReason (RFC 5280 §5.3.1) numbers 0–10; 7 is unassigned.
                if ((int)reason is < 0 or > 10 or 7)
                {
                    throw new ArgumentException($"revocation reason {reason} is not a CRLReason", nameof(response));
                }

                using (writer.PushSequence(RevocationReasonTag))
                {
                    writer.WriteEnumeratedValue(reason);
                }
            }
        }
    }

    private static void WriteNonceExtension(AsnWriter writer, byte[] nonce)
    {
        using (writer.PushSequence(ResponseExtensionsTag))
        {
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(OcspOids.Nonce);
                    using (writer.PushOctetString())
                    {
                        writer.WriteOctetString(nonce);
                    }
                }
            }
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "RFC 6960 §4.2.1 defines KeyHash as SHA-1; it names the responder key, the signature protects the response.")]
    private static byte[] KeyHash(X509Certificate2 certificate)
    {
        return SHA1.HashData(certificate.PublicKey.EncodedKeyValue.RawData);
    }

    private static bool IsDelegatedResponder(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509EnhancedKeyUsageExtension usage)
            {
                foreach (var oid in usage.EnhancedKeyUsages)
                {
                    if (oid.Value == OcspOids.OcspSigning)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Signs a probe and verifies it with the certificate's key, once: a generator holding the wrong key would
    /// otherwise produce responses that every client silently rejects.
    /// </summary>
    private static void CheckKeyMatches(
        X509Certificate2 certificate,
        X509SignatureGenerator generator,
        HashAlgorithmName hashAlgorithm,
        byte[] signatureAlgorithm)
    {
        AlgorithmIdentifier algorithm;
        try
        {
            var reader = new AsnReader(signatureAlgorithm, AsnEncodingRules.DER);
            algorithm = AsnReading.ReadAlgorithmIdentifier(reader);
            reader.ThrowIfNotEmpty();
        }
        catch (AsnContentException e)
        {
            throw new ArgumentException("the generator's signature algorithm identifier is not valid DER", nameof(generator), e);
        }

        var key = ParsedCertificate.Parse(certificate.RawData).PublicKey;
        var signature = generator.SignData(KeyCheckData, hashAlgorithm);
        if (!SignatureVerifier.Verify(KeyCheckData, algorithm, signature, key))
        {
            throw new ArgumentException(
                $"signatures made by the generator ({algorithm.Oid}) do not verify with the public key of {certificate.Subject}",
                nameof(generator));
        }
    }
}
