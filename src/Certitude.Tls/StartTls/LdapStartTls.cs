using System.Formats.Asn1;
using System.Text;

namespace Certitude.Tls.StartTls;

/// <summary>LDAP: the StartTLS extended operation (RFC 4511 §4.14, with §4.12 and §4.1.1 for the message shapes).</summary>
internal static class LdapStartTls
{
    /// <summary>RFC 4511 §4.14.1: the requestName of StartTLS.</summary>
    public const string StartTlsOid = "1.3.6.1.4.1.1466.20037";

    /// <summary>RFC 4511 §4.4.1: the responseName of the unsolicited Notice of Disconnection.</summary>
    private const string NoticeOfDisconnectionOid = "1.3.6.1.4.1.1466.20036";

    private const int MessageId = 1;

    private static readonly Asn1Tag ExtendedRequestTag = new(TagClass.Application, 23, isConstructed: true);
    private static readonly Asn1Tag ExtendedResponseTag = new(TagClass.Application, 24, isConstructed: true);
    private static readonly Asn1Tag RequestNameTag = new(TagClass.ContextSpecific, 0);
    private static readonly Asn1Tag ResponseNameTag = new(TagClass.ContextSpecific, 10);

    public static async Task NegotiateAsync(StartTlsConnection connection)
    {
        await connection.WriteAsync(EncodeRequest()).ConfigureAwait(false);
        var response = await ReadMessageAsync(connection).ConfigureAwait(false);

        int messageId;
        int resultCode;
        string diagnostic;
        string? responseName = null;
        try
        {
            // LDAPMessage ::= SEQUENCE { messageID, protocolOp, controls [0] OPTIONAL }
            // ExtendedResponse ::= [APPLICATION 24] SEQUENCE { resultCode ENUMERATED, matchedDN, diagnosticMessage,
            //     referral [3] OPTIONAL, responseName [10] OPTIONAL, responseValue [11] OPTIONAL }
            var message = new AsnReader(response, AsnEncodingRules.BER).ReadSequence();
            if (!message.TryReadInt32(out messageId))
            {
                throw connection.Fail("the server's LDAP message has an out-of-range messageID");
            }

            var operation = message.PeekTag();
            if (!operation.HasSameClassAndValue(ExtendedResponseTag))
            {
                throw connection.Fail($"the server answered with LDAP operation [{operation.TagClass} {operation.TagValue}], not an ExtendedResponse");
            }

            var extended = message.ReadSequence(ExtendedResponseTag);
            resultCode = ToInt32(extended.ReadEnumeratedBytes().Span);
            extended.ReadOctetString();
            diagnostic = Encoding.UTF8.GetString(extended.ReadOctetString());
            while (extended.HasData)
            {
                if (extended.PeekTag().HasSameClassAndValue(ResponseNameTag))
                {
                    responseName = Encoding.ASCII.GetString(extended.ReadOctetString(ResponseNameTag));
                }
                else
                {
                    extended.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException exception)
        {
            throw connection.Fail("the server's LDAP response is malformed: " + exception.Message, Encoding.Latin1.GetString(response), exception);
        }

        if (messageId == 0 && responseName == NoticeOfDisconnectionOid)
        {
            throw connection.Fail($"the server sent a notice of disconnection ({ResultName(resultCode)})", diagnostic);
        }

        if (messageId != MessageId)
        {
            throw connection.Fail($"the server's response has messageID {messageId}, not {MessageId}");
        }

        // RFC 4511 §4.14.2: success (0) and TLS starts; protocolError (2) when StartTLS is not supported (§4.12),
        // operationsError (1) when it is already in use, unavailable (52), ...
        if (resultCode != 0)
        {
            throw connection.Fail($"the server refused StartTLS with resultCode {resultCode} ({ResultName(resultCode)})", diagnostic);
        }
    }

    /// <summary>
    /// LDAPMessage { messageID 1, ExtendedRequest { requestName [0] "1.3.6.1.4.1.1466.20037" } }, without a
    /// requestValue (RFC 4511 §4.14.1: "The requestValue field is absent").
    /// </summary>
    public static byte[] EncodeRequest()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(MessageId);
            using (writer.PushSequence(ExtendedRequestTag))
            {
                writer.WriteOctetString(Encoding.ASCII.GetBytes(StartTlsOid), RequestNameTag);
            }
        }

        return writer.Encode();
    }

    /// <summary>
    /// Reads exactly one LDAPMessage TLV from the stream: its tag (a SEQUENCE), its definite length (RFC 4511 §5.1
    /// forbids the indefinite form) and that many content bytes — nothing beyond, so TLS can follow.
    /// </summary>
    private static async Task<byte[]> ReadMessageAsync(StartTlsConnection connection)
    {
        var tag = await connection.ReadByteAsync().ConfigureAwait(false);
        if (tag != 0x30)
        {
            throw connection.Fail($"the server's reply does not start like an LDAP message (0x{tag:x2}, not a SEQUENCE)");
        }

        var header = new List<byte> { tag, await connection.ReadByteAsync().ConfigureAwait(false) };
        var length = (int)header[1];
        if (header[1] >= 0x80)
        {
            var lengthBytes = header[1] & 0x7f;
            if (lengthBytes is 0 or > 3)
            {
                throw connection.Fail($"the server's LDAP message has an unsupported length form (0x{header[1]:x2})");
            }

            length = 0;
            for (var i = 0; i < lengthBytes; i++)
            {
                var value = await connection.ReadByteAsync().ConfigureAwait(false);
                header.Add(value);
                length = (length << 8) | value;
            }
        }

        if (length > StartTlsConnection.MaxTotalBytes)
        {
            throw connection.Fail($"the server's LDAP message is {length} bytes long, more than {StartTlsConnection.MaxTotalBytes}");
        }

        var message = new byte[header.Count + length];
        header.CopyTo(message);
        await connection.ReadExactlyAsync(message.AsMemory(header.Count)).ConfigureAwait(false);
        return message;
    }

    private static int ToInt32(ReadOnlySpan<byte> bigEndianTwosComplement)
    {
        if (bigEndianTwosComplement.Length is 0 or > 4)
        {
            throw new AsnContentException("resultCode is not a 32-bit value");
        }

        var value = (sbyte)bigEndianTwosComplement[0];
        var result = (int)value;
        foreach (var octet in bigEndianTwosComplement[1..])
        {
            result = (result << 8) | octet;
        }

        return result;
    }

    /// <summary>The names of RFC 4511 §4.1.9 result codes a StartTLS request can plausibly get.</summary>
    private static string ResultName(int code) => code switch
    {
        0 => "success",
        1 => "operationsError",
        2 => "protocolError",
        11 => "adminLimitExceeded",
        12 => "unavailableCriticalExtension",
        13 => "confidentialityRequired",
        51 => "busy",
        52 => "unavailable",
        53 => "unwillingToPerform",
        80 => "other",
        _ => "unknown",
    };
}
