using System.Formats.Asn1;
using System.Net;
using System.Text;

namespace Certitude.Pki;

/// <summary>Reads GeneralName values (RFC 5280 §4.2.1.6) as <see cref="SubjectAlternativeName"/>s.</summary>
internal static class GeneralNameReader
{
    /// <summary>Reads a GeneralNames SEQUENCE.</summary>
    public static List<SubjectAlternativeName> ReadAll(AsnReader reader, Asn1Tag? tag = null)
    {
        var sequence = reader.ReadSequence(tag);
        var names = new List<SubjectAlternativeName>();
        while (sequence.HasData)
        {
            names.Add(Read(sequence));
        }

        return names;
    }

    /// <summary>Reads one GeneralName.</summary>
    public static SubjectAlternativeName Read(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.TagClass != TagClass.ContextSpecific)
        {
            throw new AsnContentException($"expected a GeneralName, found tag {tag}");
        }

        switch (tag.TagValue)
        {
            case 0:
                {
                    // otherName is [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }.
                    var otherName = reader.ReadSequence(tag);
                    var typeId = otherName.ReadObjectIdentifier();
                    var explicitValue = otherName.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                    var value = explicitValue.ReadEncodedValue();
                    explicitValue.ThrowIfNotEmpty();
                    otherName.ThrowIfNotEmpty();
                    var text = DirectoryString.TryDecode(value.Span, out var decoded) ? decoded : "#" + Convert.ToHexString(value.Span);
                    return new SubjectAlternativeName(SubjectAlternativeNameType.Other, $"{typeId}:{text}");
                }

            case 1:
                return new SubjectAlternativeName(SubjectAlternativeNameType.Email, ReadIa5(reader, tag));
            case 2:
                return new SubjectAlternativeName(SubjectAlternativeNameType.Dns, ReadIa5(reader, tag));
            case 3:
                return new SubjectAlternativeName(SubjectAlternativeNameType.Other, "x400Address:#" + Convert.ToHexString(reader.ReadEncodedValue().Span));
            case 4:
                {
                    // directoryName is [4] EXPLICIT because Name is a CHOICE (X.680 §31.2.7).
                    var explicitName = reader.ReadSequence(tag);
                    var name = explicitName.ReadEncodedValue();
                    explicitName.ThrowIfNotEmpty();
                    return new SubjectAlternativeName(SubjectAlternativeNameType.DirectoryName, DistinguishedName.Parse(name).ToRfc4514());
                }

            case 5:
                return new SubjectAlternativeName(SubjectAlternativeNameType.Other, "ediPartyName:#" + Convert.ToHexString(reader.ReadEncodedValue().Span));
            case 6:
                return new SubjectAlternativeName(SubjectAlternativeNameType.Uri, ReadIa5(reader, tag));
            case 7:
                {
                    var octets = reader.ReadOctetString(tag);
                    return octets.Length is 4 or 16
                        ? new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, new IPAddress(octets).ToString())
                        : new SubjectAlternativeName(SubjectAlternativeNameType.Other, "iPAddress:#" + Convert.ToHexString(octets));
                }

            case 8:
                return new SubjectAlternativeName(SubjectAlternativeNameType.Other, "registeredID:" + reader.ReadObjectIdentifier(tag));
            default:
                throw new AsnContentException($"unknown GeneralName choice [{tag.TagValue}]");
        }
    }

    private static string ReadIa5(AsnReader reader, Asn1Tag tag)
    {
        // IA5String by the RFC, but deployed certificates carry UTF-8 here too; read the octets rather than reject them.
        return Encoding.UTF8.GetString(reader.ReadOctetString(tag));
    }
}
