using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Certitude.Pki;

/// <summary>
/// A distinguished name read attribute by attribute, with the RFC 4514 string form Certitude shows and stores.
/// </summary>
/// <remarks>
/// <para>String form decisions (RFC 4514 §2, checked against <c>openssl x509 -nameopt RFC2253</c>):</para>
/// <list type="bullet">
/// <item>RDNs from last to first (§2.1), separated by "," without spaces; attributes of one multi-valued RDN are joined
/// by "+" and, like OpenSSL, also listed in reverse encoding order (a SET has no order RFC 4514 could prescribe).</item>
/// <item>Attribute types (§2.3) use the §3 short names CN, L, ST, O, OU, C, STREET, DC, UID; other attributes OpenSSL
/// names use OpenSSL's short name (emailAddress, serialNumber, SN, GN, title, businessCategory, jurisdictionC, ...),
/// which for most are also their registered LDAP descriptors; any other attribute is its dotted OID.</item>
/// <item>Values (§2.4) of a dotted-OID attribute, and values that are not character strings, are "#" and the
/// uppercase hex of the value's BER encoding. Character strings are escaped per §2.4: , + " \ &lt; &gt; ; with a
/// backslash, a leading space or "#" and a trailing space with a backslash, control characters as \XX. Characters
/// beyond ASCII are kept as they are (§2.4 allows it); OpenSSL's RFC2253 mode escapes their UTF-8 bytes as \XX instead,
/// which is the one difference from its output.</item>
/// </list>
/// </remarks>
internal sealed class DistinguishedName
{
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        // RFC 4514 §3.
        ["2.5.4.3"] = "CN",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.6"] = "C",
        ["2.5.4.9"] = "STREET",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",

        // OpenSSL's short names (crypto/objects/objects.txt) for attributes seen in certificate names.
        ["2.5.4.4"] = "SN",
        ["2.5.4.5"] = "serialNumber",
        ["2.5.4.12"] = "title",
        ["2.5.4.13"] = "description",
        ["2.5.4.15"] = "businessCategory",
        ["2.5.4.16"] = "postalAddress",
        ["2.5.4.17"] = "postalCode",
        ["2.5.4.18"] = "postOfficeBox",
        ["2.5.4.20"] = "telephoneNumber",
        ["2.5.4.41"] = "name",
        ["2.5.4.42"] = "GN",
        ["2.5.4.43"] = "initials",
        ["2.5.4.44"] = "generationQualifier",
        ["2.5.4.45"] = "x500UniqueIdentifier",
        ["2.5.4.46"] = "dnQualifier",
        ["2.5.4.65"] = "pseudonym",
        ["2.5.4.72"] = "role",
        ["2.5.4.97"] = "organizationIdentifier",
        ["1.2.840.113549.1.9.1"] = "emailAddress",
        ["1.2.840.113549.1.9.2"] = "unstructuredName",
        ["1.2.840.113549.1.9.8"] = "unstructuredAddress",
        ["1.3.6.1.4.1.311.60.2.1.1"] = "jurisdictionL",
        ["1.3.6.1.4.1.311.60.2.1.2"] = "jurisdictionST",
        ["1.3.6.1.4.1.311.60.2.1.3"] = "jurisdictionC",
    };

    private DistinguishedName(IReadOnlyList<NameAttribute> attributes)
    {
        Attributes = attributes;
    }

    /// <summary>Every attribute in encoding order (first RDN first).</summary>
    public IReadOnlyList<NameAttribute> Attributes { get; }

    /// <summary>Reads a Name (RFC 5280 §4.1.2.4) from its full encoding.</summary>
    /// <exception cref="AsnContentException">The encoding is not a Name.</exception>
    public static DistinguishedName Parse(ReadOnlyMemory<byte> encoded)
    {
        var attributes = new List<NameAttribute>();
        var index = 0;
        foreach (var rdn in SplitRelativeDistinguishedNames(encoded))
        {
            var set = new AsnReader(rdn, AsnEncodingRules.BER).ReadSetOf(skipSortOrderValidation: true);
            if (!set.HasData)
            {
                throw new AsnContentException("empty RelativeDistinguishedName");
            }

            while (set.HasData)
            {
                var pair = set.ReadSequence();
                var oid = pair.ReadObjectIdentifier();
                var value = pair.ReadEncodedValue();
                pair.ThrowIfNotEmpty();
                attributes.Add(new NameAttribute(index, oid, value, DirectoryString.TryDecode(value.Span, out var text) ? text : null));
            }

            index++;
        }

        return new DistinguishedName(attributes);
    }

    /// <summary>The first textual value of an attribute type, in encoding order.</summary>
    public string? First(string oid)
    {
        return Attributes.FirstOrDefault(a => a.Oid == oid && a.Text is not null)?.Text;
    }

    /// <summary>Every textual value of an attribute type, in encoding order.</summary>
    public IEnumerable<string> All(string oid)
    {
        return Attributes.Where(a => a.Oid == oid && a.Text is not null).Select(a => a.Text!);
    }

    /// <summary>The RFC 4514 string form (see the type's remarks for the choices made).</summary>
    public string ToRfc4514()
    {
        var builder = new StringBuilder();
        for (var i = Attributes.Count - 1; i >= 0; i--)
        {
            var attribute = Attributes[i];
            if (i < Attributes.Count - 1)
            {
                builder.Append(Attributes[i + 1].RdnIndex == attribute.RdnIndex ? '+' : ',');
            }

            if (ShortNames.TryGetValue(attribute.Oid, out var shortName) && attribute.Text is { } text)
            {
                builder.Append(shortName).Append('=');
                AppendEscaped(builder, text);
            }
            else
            {
                builder.Append(shortName ?? attribute.Oid).Append("=#").Append(Convert.ToHexString(attribute.Value.Span));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Name matching per RFC 5280 §7.1: the same RDNs in the same order, each with the same attributes; character
    /// string values compare case-insensitively with surrounding whitespace removed and inner runs collapsed (a
    /// simplification of the RFC 4518 preparation), other values compare by their encoding.
    /// </summary>
    public bool Matches(DistinguishedName other)
    {
        if (Attributes.Count != other.Attributes.Count)
        {
            return false;
        }

        var mine = Attributes.GroupBy(a => a.RdnIndex).ToList();
        var theirs = other.Attributes.GroupBy(a => a.RdnIndex).ToList();
        if (mine.Count != theirs.Count)
        {
            return false;
        }

        for (var i = 0; i < mine.Count; i++)
        {
            var remaining = theirs[i].ToList();
            foreach (var attribute in mine[i])
            {
                var match = remaining.FindIndex(candidate => ValuesMatch(attribute, candidate));
                if (match < 0)
                {
                    return false;
                }

                remaining.RemoveAt(match);
            }

            if (remaining.Count != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool ValuesMatch(NameAttribute left, NameAttribute right)
    {
        if (left.Oid != right.Oid)
        {
            return false;
        }

        if (left.Text is { } leftText && right.Text is { } rightText)
        {
            return string.Equals(Prepare(leftText), Prepare(rightText), StringComparison.OrdinalIgnoreCase);
        }

        return left.Value.Span.SequenceEqual(right.Value.Span);
    }

    private static string Prepare(string value)
    {
        return string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static List<ReadOnlyMemory<byte>> SplitRelativeDistinguishedNames(ReadOnlyMemory<byte> encoded)
    {
        try
        {
            return new X500DistinguishedName(encoded.Span)
                .EnumerateRelativeDistinguishedNames(reversed: false)
                .Select(rdn => rdn.RawData)
                .ToList();
        }
        catch (CryptographicException)
        {
            // .NET reads names with DER rules only; a BER-encoded name (an unsorted multi-valued RDN, say) is split by hand.
            var rdns = new List<ReadOnlyMemory<byte>>();
            var sequence = new AsnReader(encoded, AsnEncodingRules.BER).ReadSequence();
            while (sequence.HasData)
            {
                rdns.Add(sequence.ReadEncodedValue());
            }

            return rdns;
        }
    }

    private static void AppendEscaped(StringBuilder builder, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case ',' or '+' or '"' or '\\' or '<' or '>' or ';':
                    builder.Append('\\').Append(c);
                    break;
                case '#' when i == 0:
                    builder.Append("\\#");
                    break;
                case ' ' when i == 0 || i == value.Length - 1:
                    builder.Append("\\ ");
                    break;
                case < ' ' or '\u007F':
                    builder.Append('\\').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }
}
