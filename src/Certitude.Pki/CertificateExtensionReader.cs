using System.Formats.Asn1;

namespace Certitude.Pki;

/// <summary>Interprets the certificate extensions Certitude records (RFC 5280 §4.2 and a few later RFCs).</summary>
internal static class CertificateExtensionReader
{
    // Bit positions of KeyUsage (RFC 5280 §4.2.1.3), named as the RFC names them.
    private static readonly string[] KeyUsageNames =
    [
        "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement",
        "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
    ];

    // Extensions whose meaning is known here, whether or not a fact is taken from them; a critical extension outside
    // this set is one a relying party would have to reject (RFC 5280 §4.2), so it is reported.
    private static readonly HashSet<string> Recognized = new(StringComparer.Ordinal)
    {
        Oids.SubjectDirectoryAttributes, Oids.SubjectKeyIdentifier, Oids.KeyUsage, Oids.PrivateKeyUsagePeriod,
        Oids.SubjectAltName, Oids.IssuerAltName, Oids.BasicConstraints, Oids.NameConstraints,
        Oids.CrlDistributionPoints, Oids.CertificatePolicies, Oids.PolicyMappings, Oids.AuthorityKeyIdentifier,
        Oids.PolicyConstraints, Oids.ExtendedKeyUsage, Oids.FreshestCrl, Oids.InhibitAnyPolicy,
        Oids.AuthorityInfoAccess, Oids.SubjectInfoAccess, Oids.TlsFeature, Oids.SignedCertificateTimestampList,
        Oids.PrecertificatePoison,
    };

    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag Context0Constructed = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context6 = new(TagClass.ContextSpecific, 6);

    /// <summary>Reads every extension; the first of duplicated extensions wins.</summary>
    /// <exception cref="CertificateFormatException">An extension this reader interprets is malformed.</exception>
    public static ExtensionSummary Read(IReadOnlyList<CertificateExtension> extensions)
    {
        var summary = new ExtensionSummary();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var extension in extensions)
        {
            if (!seen.Add(extension.Oid))
            {
                continue;
            }

            if (!Recognized.Contains(extension.Oid))
            {
                if (extension.Critical)
                {
                    summary.UnknownCriticalExtensions.Add(extension.Oid);
                }

                continue;
            }

            try
            {
                Interpret(extension, summary);
            }
            catch (AsnContentException e)
            {
                throw new CertificateFormatException($"not a valid X.509 certificate: malformed extension {extension.Oid} ({e.Message.TrimEnd('.')})", e);
            }
        }

        return summary;
    }

    private static void Interpret(CertificateExtension extension, ExtensionSummary summary)
    {
        var value = extension.Value;
        switch (extension.Oid)
        {
            case Oids.SubjectAltName:
                summary.SubjectAlternativeNames.AddRange(Decode(value, reader => GeneralNameReader.ReadAll(reader)));
                break;
            case Oids.SubjectKeyIdentifier:
                summary.SubjectKeyIdentifier = Convert.ToHexStringLower(Decode(value, reader => reader.ReadOctetString()));
                break;
            case Oids.AuthorityKeyIdentifier:
                summary.AuthorityKeyIdentifier = Decode(value, ReadAuthorityKeyIdentifier);
                break;
            case Oids.BasicConstraints:
                (summary.IsCertificateAuthority, summary.PathLengthConstraint) = Decode(value, ReadBasicConstraints);
                break;
            case Oids.KeyUsage:
                summary.KeyUsages.AddRange(Decode(value, ReadKeyUsage));
                break;
            case Oids.ExtendedKeyUsage:
                summary.ExtendedKeyUsages.AddRange(Decode(value, ReadObjectIdentifiers));
                break;
            case Oids.CertificatePolicies:
                summary.CertificatePolicies.AddRange(Decode(value, ReadPolicies));
                break;
            case Oids.CrlDistributionPoints:
                summary.CrlDistributionPoints.AddRange(Decode(value, ReadCrlDistributionPoints));
                break;
            case Oids.AuthorityInfoAccess:
                foreach (var (method, uri) in Decode(value, ReadAccessDescriptions))
                {
                    if (method == Oids.AccessOcsp)
                    {
                        summary.OcspUrls.Add(uri);
                    }
                    else if (method == Oids.AccessCaIssuers)
                    {
                        summary.CaIssuerUrls.Add(uri);
                    }
                }

                break;
            case Oids.SignedCertificateTimestampList:
                summary.EmbeddedSctCount = CountSignedCertificateTimestamps(Decode(value, reader => reader.ReadOctetString()));
                break;
            case Oids.TlsFeature:
                summary.MustStaple = Decode(value, ReadTlsFeatures).Contains(5);
                break;
            default:
                break;
        }
    }

    private static T Decode<T>(ReadOnlyMemory<byte> value, Func<AsnReader, T> read)
    {
        return AsnReading.DecodeLenient(value, reader =>
        {
            var result = read(reader);
            reader.ThrowIfNotEmpty();
            return result;
        });
    }

    private static string? ReadAuthorityKeyIdentifier(AsnReader reader)
    {
        // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, ... } (§4.2.1.1).
        var sequence = reader.ReadSequence();
        if (sequence.HasData && sequence.PeekTag().HasSameClassAndValue(Context0))
        {
            return Convert.ToHexStringLower(sequence.ReadOctetString(Context0));
        }

        return null;
    }

    private static (bool IsCa, int? PathLength) ReadBasicConstraints(AsnReader reader)
    {
        // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } (§4.2.1.9).
        var sequence = reader.ReadSequence();
        var isCa = sequence.HasData && sequence.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && sequence.ReadBoolean();
        int? pathLength = null;
        if (sequence.HasData)
        {
            pathLength = sequence.TryReadInt32(out var parsed) ? parsed : int.MaxValue;
        }

        sequence.ThrowIfNotEmpty();
        return (isCa, pathLength);
    }

    private static List<string> ReadKeyUsage(AsnReader reader)
    {
        var bits = reader.ReadBitString(out var unusedBits);
        var names = new List<string>();
        var usedBits = (bits.Length * 8) - unusedBits;
        for (var bit = 0; bit < Math.Min(usedBits, KeyUsageNames.Length); bit++)
        {
            if ((bits[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                names.Add(KeyUsageNames[bit]);
            }
        }

        return names;
    }

    private static List<string> ReadObjectIdentifiers(AsnReader reader)
    {
        var sequence = reader.ReadSequence();
        var oids = new List<string>();
        while (sequence.HasData)
        {
            oids.Add(sequence.ReadObjectIdentifier());
        }

        return oids;
    }

    private static List<string> ReadPolicies(AsnReader reader)
    {
        // certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier, policyQualifiers OPTIONAL } (§4.2.1.4).
        var sequence = reader.ReadSequence();
        var policies = new List<string>();
        while (sequence.HasData)
        {
            var information = sequence.ReadSequence();
            policies.Add(information.ReadObjectIdentifier());
            if (information.HasData)
            {
                information.ReadSequence();
            }

            information.ThrowIfNotEmpty();
        }

        return policies;
    }

    private static List<string> ReadCrlDistributionPoints(AsnReader reader)
    {
        // DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL, reasons [1], cRLIssuer [2] },
        // DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] } (§4.2.1.13).
        var sequence = reader.ReadSequence();
        var uris = new List<string>();
        while (sequence.HasData)
        {
            var point = sequence.ReadSequence();
            if (point.HasData && point.PeekTag().HasSameClassAndValue(Context0Constructed))
            {
                var name = point.ReadSequence(Context0Constructed);
                if (name.HasData && name.PeekTag().HasSameClassAndValue(Context0Constructed))
                {
                    uris.AddRange(GeneralNameReader.ReadAll(name, Context0Constructed)
                        .Where(n => n.Type == SubjectAlternativeNameType.Uri)
                        .Select(n => n.Value));
                }
            }
        }

        return uris;
    }

    private static List<(string Method, string Uri)> ReadAccessDescriptions(AsnReader reader)
    {
        // AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER, accessLocation GeneralName } (§4.2.2.1).
        var sequence = reader.ReadSequence();
        var descriptions = new List<(string, string)>();
        while (sequence.HasData)
        {
            var description = sequence.ReadSequence();
            var method = description.ReadObjectIdentifier();
            var location = description.PeekTag().HasSameClassAndValue(Context6)
                ? GeneralNameReader.Read(description)
                : null;
            if (location is null)
            {
                description.ReadEncodedValue();
            }
            else
            {
                descriptions.Add((method, location.Value));
            }

            description.ThrowIfNotEmpty();
        }

        return descriptions;
    }

    private static List<int> ReadTlsFeatures(AsnReader reader)
    {
        // Features ::= SEQUENCE OF INTEGER, the TLS extension numbers the server must send; 5 is status_request (RFC 7633 §6).
        var sequence = reader.ReadSequence();
        var features = new List<int>();
        while (sequence.HasData)
        {
            features.Add(sequence.TryReadInt32(out var feature) ? feature : -1);
        }

        return features;
    }

    /// <summary>
    /// Counts the entries of a TLS-encoded SignedCertificateTimestampList (RFC 6962 §3.3): a 2-byte total length, then
    /// SCTs each preceded by a 2-byte length. Counting stops at the first entry that does not fit, so a damaged list
    /// yields the SCTs that can be delimited rather than an error.
    /// </summary>
    private static int CountSignedCertificateTimestamps(ReadOnlySpan<byte> list)
    {
        if (list.Length < 2)
        {
            return 0;
        }

        var total = (list[0] << 8) | list[1];
        var entries = list.Slice(2, Math.Min(total, list.Length - 2));
        var count = 0;
        while (entries.Length >= 2)
        {
            var length = (entries[0] << 8) | entries[1];
            if (length == 0 || length > entries.Length - 2)
            {
                break;
            }

            count++;
            entries = entries[(2 + length)..];
        }

        return count;
    }
}
