using System.Security.Cryptography;

namespace Certitude.Tls.Wire;

/// <summary>
/// The part of the TLS 1.3 key schedule (RFC 8446 §7.1) a probe needs: from the (EC)DHE shared secret and the
/// ClientHello..ServerHello transcript hash to the server's handshake traffic key and IV (§7.3). No PSK, so the
/// early secret is HKDF-Extract(0, 0) and depends only on the hash.
/// </summary>
internal static class Tls13KeySchedule
{
    private const int MaxHashLength = 48;

    private static readonly byte[] DerivedSha256 = ComputeDerivedFromEarlySecret(HashAlgorithmName.SHA256);
    private static readonly byte[] DerivedSha384 = ComputeDerivedFromEarlySecret(HashAlgorithmName.SHA384);

    public static int HashLength(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA384 ? 48 : 32;

    /// <summary>Early Secret = HKDF-Extract(salt 0, IKM 0) with no PSK (RFC 8446 §7.1).</summary>
    public static byte[] EarlySecret(HashAlgorithmName hash)
    {
        var zeros = new byte[HashLength(hash)];
        return HKDF.Extract(hash, zeros, zeros);
    }

    /// <summary>Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE).</summary>
    public static byte[] HandshakeSecret(HashAlgorithmName hash, ReadOnlySpan<byte> sharedSecret)
    {
        var salt = hash == HashAlgorithmName.SHA384 ? DerivedSha384 : DerivedSha256;
        var secret = new byte[HashLength(hash)];
        HKDF.Extract(hash, sharedSecret, salt, secret);
        return secret;
    }

    /// <summary>server_handshake_traffic_secret = Derive-Secret(Handshake Secret, "s hs traffic", ClientHello...ServerHello).</summary>
    public static byte[] ServerHandshakeTrafficSecret(HashAlgorithmName hash, ReadOnlySpan<byte> handshakeSecret, ReadOnlySpan<byte> transcriptHash) =>
        ExpandLabel(hash, handshakeSecret, "s hs traffic"u8, transcriptHash, HashLength(hash));

    /// <summary>[sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length) (RFC 8446 §7.3).</summary>
    public static byte[] TrafficKey(HashAlgorithmName hash, ReadOnlySpan<byte> trafficSecret, int keyLength) =>
        ExpandLabel(hash, trafficSecret, "key"u8, [], keyLength);

    /// <summary>[sender]_write_iv = HKDF-Expand-Label(Secret, "iv", "", iv_length) (RFC 8446 §7.3).</summary>
    public static byte[] TrafficIv(HashAlgorithmName hash, ReadOnlySpan<byte> trafficSecret) =>
        ExpandLabel(hash, trafficSecret, "iv"u8, [], 12);

    /// <summary>
    /// HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length), where HkdfLabel is
    /// uint16 length || opaque label&lt;7..255&gt; = "tls13 " + Label || opaque context&lt;0..255&gt; (RFC 8446 §7.1).
    /// </summary>
    public static byte[] ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, int length)
    {
        var prefix = "tls13 "u8;
        Span<byte> info = stackalloc byte[2 + 1 + prefix.Length + label.Length + 1 + context.Length];
        var writer = new SpanWriter(info);
        writer.WriteUInt16((ushort)length);
        writer.WriteUInt8((byte)(prefix.Length + label.Length));
        writer.WriteBytes(prefix);
        writer.WriteBytes(label);
        writer.WriteUInt8((byte)context.Length);
        writer.WriteBytes(context);

        var output = new byte[length];
        HKDF.Expand(hash, secret, output, info);
        return output;
    }

    private static byte[] ComputeDerivedFromEarlySecret(HashAlgorithmName hash)
    {
        Span<byte> emptyHash = stackalloc byte[MaxHashLength];
        var hashLength = hash == HashAlgorithmName.SHA384 ? SHA384.HashData([], emptyHash) : SHA256.HashData([], emptyHash);
        return ExpandLabel(hash, EarlySecret(hash), "derived"u8, emptyHash[..hashLength], HashLength(hash));
    }
}
