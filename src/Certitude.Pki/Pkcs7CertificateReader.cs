using System.Formats.Asn1;

namespace Certitude.Pki;

/// <summary>
/// Takes the certificates out of a PKCS #7 / CMS SignedData (RFC 2315 §9.1, RFC 5652 §5.1) — the ".p7b" certificate
/// bag, usually "degenerate" with no signers. Read with BER rules because Windows and Java write indefinite lengths.
/// </summary>
internal static class Pkcs7CertificateReader
{
    private static readonly Asn1Tag Context0Constructed = new(TagClass.ContextSpecific, 0, isConstructed: true);

    /// <summary>Returns every certificate in the SignedData's certificates set, in file order.</summary>
    /// <exception cref="CertificateFormatException">Not a SignedData, malformed, or holding no certificates.</exception>
    public static List<byte[]> Read(ReadOnlyMemory<byte> encoded)
    {
        var certificates = new List<byte[]>();
        try
        {
            var reader = new AsnReader(encoded, AsnEncodingRules.BER);
            var contentInfo = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var contentType = contentInfo.ReadObjectIdentifier();
            if (contentType != Oids.Pkcs7SignedData)
            {
                throw new CertificateFormatException($"PKCS#7 content type {contentType} carries no certificates");
            }

            var explicitContent = contentInfo.ReadSequence(Context0Constructed);
            var signedData = explicitContent.ReadSequence();
            signedData.ReadEncodedValue();
            signedData.ReadEncodedValue();
            signedData.ReadEncodedValue();
            if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context0Constructed))
            {
                // CertificateChoices (RFC 5652 §10.2.2): only the plain Certificate choice is an X.509 certificate.
                var set = signedData.ReadSetOf(skipSortOrderValidation: true, Context0Constructed);
                while (set.HasData)
                {
                    var tag = set.PeekTag();
                    var choice = set.ReadEncodedValue();
                    if (tag.HasSameClassAndValue(Asn1Tag.Sequence))
                    {
                        certificates.Add(choice.ToArray());
                    }
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new CertificateFormatException($"malformed PKCS#7 ({e.Message.TrimEnd('.')})", e);
        }

        if (certificates.Count == 0)
        {
            throw new CertificateFormatException("PKCS#7 contains no certificates");
        }

        return certificates;
    }
}
