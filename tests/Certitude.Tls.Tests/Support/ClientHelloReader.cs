using System.Text;

namespace Certitude.Tls.Tests.Support;

/// <summary>Reads a ClientHello record the way a server does, to check what the probe put on the wire.</summary>
internal sealed class ClientHelloReader
{
    private ClientHelloReader(ushort recordVersion, ushort clientVersion, int sessionIdLength, List<ushort> cipherSuites, Dictionary<ushort, byte[]> extensions, List<ushort> extensionOrder, int messageLength)
    {
        RecordVersion = recordVersion;
        ClientVersion = clientVersion;
        SessionIdLength = sessionIdLength;
        CipherSuites = cipherSuites;
        Extensions = extensions;
        ExtensionOrder = extensionOrder;
        MessageLength = messageLength;
    }

    public ushort RecordVersion { get; }

    public ushort ClientVersion { get; }

    public int SessionIdLength { get; }

    public List<ushort> CipherSuites { get; }

    public Dictionary<ushort, byte[]> Extensions { get; }

    public List<ushort> ExtensionOrder { get; }

    /// <summary>The handshake message's length including its 4-byte header.</summary>
    public int MessageLength { get; }

    public static ClientHelloReader Parse(byte[] record)
    {
        Assert.Equal(22, record[0]);
        Assert.Equal(record.Length - 5, (record[3] << 8) | record[4]);
        var message = record.AsSpan(5);
        Assert.Equal(1, message[0]);
        Assert.Equal(message.Length - 4, (message[1] << 16) | (message[2] << 8) | message[3]);
        var body = message[4..];
        var position = 0;
        var clientVersion = U16(body, ref position);
        position += 32;
        var sessionIdLength = body[position];
        position += 1 + sessionIdLength;
        var suitesLength = U16(body, ref position);
        var suites = new List<ushort>();
        for (var end = position + suitesLength; position < end;)
        {
            suites.Add(U16(body, ref position));
        }

        position += 1 + body[position];
        var extensionsLength = U16(body, ref position);
        Assert.Equal(body.Length, position + extensionsLength);
        var extensions = new Dictionary<ushort, byte[]>();
        var order = new List<ushort>();
        while (position < body.Length)
        {
            var type = U16(body, ref position);
            var length = U16(body, ref position);
            extensions.Add(type, body.Slice(position, length).ToArray());
            order.Add(type);
            position += length;
        }

        return new ClientHelloReader((ushort)((record[1] << 8) | record[2]), clientVersion, sessionIdLength, suites, extensions, order, message.Length);
    }

    /// <summary>The host_name in server_name, or null when the extension is absent.</summary>
    public static string? ServerName(byte[] record)
    {
        if (!Parse(record).Extensions.TryGetValue(0, out var data))
        {
            return null;
        }

        Assert.Equal(data.Length - 2, (data[0] << 8) | data[1]);
        Assert.Equal(0, data[2]);
        Assert.Equal(data.Length - 5, (data[3] << 8) | data[4]);
        return Encoding.ASCII.GetString(data, 5, data.Length - 5);
    }

    private static ushort U16(ReadOnlySpan<byte> span, ref int position)
    {
        var value = (ushort)((span[position] << 8) | span[position + 1]);
        position += 2;
        return value;
    }
}
