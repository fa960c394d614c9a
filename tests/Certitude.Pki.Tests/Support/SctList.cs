using System.Buffers.Binary;
using System.Formats.Asn1;

namespace Certitude.Pki.Tests.Support;

/// <summary>
/// Builds the value of the embedded SCT list extension (RFC 6962 §3.3): an OCTET STRING holding a TLS
/// SignedCertificateTimestampList of well-formed v1 SCTs with made-up log IDs and signatures.
/// </summary>
internal static class SctList
{
    public static byte[] ExtensionValue(int count)
    {
        var list = new List<byte>();
        for (var i = 1; i <= count; i++)
        {
            var sct = new List<byte> { 0x00 };
            sct.AddRange(Enumerable.Repeat((byte)i, 32));
            var timestamp = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(timestamp, 1_700_000_000_000UL + (ulong)i);
            sct.AddRange(timestamp);
            sct.AddRange([0x00, 0x00]);
            sct.AddRange([0x04, 0x03, 0x00, 0x08]);
            sct.AddRange([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);
            list.Add((byte)(sct.Count >> 8));
            list.Add((byte)sct.Count);
            list.AddRange(sct);
        }

        list.InsertRange(0, [(byte)(list.Count >> 8), (byte)list.Count]);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString([.. list]);
        return writer.Encode();
    }
}
