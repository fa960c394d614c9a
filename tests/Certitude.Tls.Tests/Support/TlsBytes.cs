namespace Certitude.Tls.Tests.Support;

/// <summary>Builds server messages byte by byte for the hostile servers, so each test states exactly what is on the wire.</summary>
internal static class TlsBytes
{
    public static byte[] Record(byte contentType, ReadOnlySpan<byte> fragment, ushort version = 0x0303)
    {
        var record = new byte[5 + fragment.Length];
        record[0] = contentType;
        record[1] = (byte)(version >> 8);
        record[2] = (byte)version;
        record[3] = (byte)(fragment.Length >> 8);
        record[4] = (byte)fragment.Length;
        fragment.CopyTo(record.AsSpan(5));
        return record;
    }

    public static byte[] Handshake(byte type, ReadOnlySpan<byte> body) => Handshake(type, body, body.Length);

    /// <summary>A handshake message whose header announces <paramref name="announcedLength"/> (a lie when it differs).</summary>
    public static byte[] Handshake(byte type, ReadOnlySpan<byte> body, int announcedLength)
    {
        var message = new byte[4 + body.Length];
        message[0] = type;
        message[1] = (byte)(announcedLength >> 16);
        message[2] = (byte)(announcedLength >> 8);
        message[3] = (byte)announcedLength;
        body.CopyTo(message.AsSpan(4));
        return message;
    }

    /// <summary>A TLS 1.2 ServerHello choosing TLS_RSA_WITH_AES_128_GCM_SHA256, with the given extensions block (or none).</summary>
    public static byte[] ServerHello(ushort version = 0x0303, ushort cipherSuite = 0x009C, byte[]? extensions = null)
    {
        var body = new List<byte> { (byte)(version >> 8), (byte)version };
        body.AddRange(new byte[32]);
        body.Add(0);
        body.Add((byte)(cipherSuite >> 8));
        body.Add((byte)cipherSuite);
        body.Add(0);
        if (extensions is not null)
        {
            body.Add((byte)(extensions.Length >> 8));
            body.Add((byte)extensions.Length);
            body.AddRange(extensions);
        }

        return Handshake(2, body.ToArray());
    }

    /// <summary>An RFC 5246 §7.4.2 Certificate message body: 3-byte list length, 3-byte length per certificate.</summary>
    public static byte[] CertificateBody(params byte[][] certificates)
    {
        var list = new List<byte>();
        foreach (var certificate in certificates)
        {
            list.AddRange(Uint24(certificate.Length));
            list.AddRange(certificate);
        }

        return [.. Uint24(list.Count), .. list];
    }

    public static byte[] Uint24(int value) => [(byte)(value >> 16), (byte)(value >> 8), (byte)value];

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal));
}
