using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Certitude.Tls.Wire;

/// <summary>
/// An ephemeral key pair for one TLS 1.3 key_share entry (RFC 8446 §4.2.8): X25519 through BouncyCastle (.NET has no
/// X25519 API), the NIST curves through <see cref="ECDiffieHellman"/>. Safe to share between concurrent probes
/// (<see cref="Tls13EphemeralKeys"/>): the X25519 agreement is a pure function and the NIST one is serialized.
/// </summary>
internal sealed class Tls13KeyShare : IDisposable
{
    private readonly X25519PrivateKeyParameters? _x25519;
    private readonly ECDiffieHellman? _ecdh;

    private Tls13KeyShare(ushort group, X25519PrivateKeyParameters? x25519, ECDiffieHellman? ecdh, byte[] publicKey)
    {
        Group = group;
        _x25519 = x25519;
        _ecdh = ecdh;
        PublicKey = publicKey;
    }

    public ushort Group { get; }

    /// <summary>The key_exchange bytes: 32 bytes for X25519, an uncompressed point 0x04 || X || Y for the NIST curves (§4.2.8.2).</summary>
    public byte[] PublicKey { get; }

    public static bool IsSupported(ushort group) => group is TlsNamedGroup.X25519 or TlsNamedGroup.Secp256r1 or TlsNamedGroup.Secp384r1 or TlsNamedGroup.Secp521r1;

    public static Tls13KeyShare Generate(ushort group)
    {
        if (group == TlsNamedGroup.X25519)
        {
            // Random bytes are a valid X25519 scalar (it is clamped on use, RFC 7748 §5); this avoids a SecureRandom per probe.
            Span<byte> scalar = stackalloc byte[X25519PrivateKeyParameters.KeySize];
            RandomNumberGenerator.Fill(scalar);
            var share = FromX25519PrivateKey(scalar);
            CryptographicOperations.ZeroMemory(scalar);
            return share;
        }

        var ecdh = ECDiffieHellman.Create(Curve(group));
        var q = ecdh.ExportParameters(includePrivateParameters: false).Q;
        var point = new byte[1 + q.X!.Length + q.Y!.Length];
        point[0] = 4;
        q.X.CopyTo(point, 1);
        q.Y.CopyTo(point, 1 + q.X.Length);
        return new Tls13KeyShare(group, null, ecdh, point);
    }

    /// <summary>An X25519 share from a known private key: what RFC 8448's test vectors need.</summary>
    public static Tls13KeyShare FromX25519PrivateKey(ReadOnlySpan<byte> privateKey)
    {
        var key = new X25519PrivateKeyParameters(privateKey);
        return new Tls13KeyShare(TlsNamedGroup.X25519, key, null, key.GeneratePublicKey().GetEncoded());
    }

    /// <summary>The shared secret with the server's key_exchange bytes (RFC 8446 §7.4).</summary>
    public byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerKey)
    {
        if (_x25519 is not null)
        {
            if (peerKey.Length != X25519PublicKeyParameters.KeySize)
            {
                throw TlsFailures.Malformed("the server's X25519 key share is not 32 bytes");
            }

            var secret = new byte[X25519PrivateKeyParameters.SecretSize];
            try
            {
                _x25519.GenerateSecret(new X25519PublicKeyParameters(peerKey), secret);
            }
            catch (InvalidOperationException)
            {
                // RFC 8446 §7.4.2: an all-zero X25519 result must be rejected.
                throw TlsFailures.Malformed("the server's X25519 key share gives an all-zero secret");
            }

            return secret;
        }

        var fieldLength = (_ecdh!.KeySize + 7) / 8;
        if (peerKey.Length != 1 + (2 * fieldLength) || peerKey[0] != 4)
        {
            throw TlsFailures.Malformed("the server's key share is not an uncompressed point of its curve");
        }

        try
        {
            // Importing validates that the point is on the curve (RFC 8446 §4.2.8.2).
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = Curve(Group),
                Q = new ECPoint { X = peerKey.Slice(1, fieldLength).ToArray(), Y = peerKey.Slice(1 + fieldLength, fieldLength).ToArray() },
            });
            using var peerPublicKey = peer.PublicKey;

            // .NET does not document its algorithm objects as thread-safe.
            lock (_ecdh)
            {
                return _ecdh.DeriveRawSecretAgreement(peerPublicKey);
            }
        }
        catch (CryptographicException e)
        {
            throw new Probing.TlsProbeException(Probing.TlsProbeFailure.Malformed, "the server's key share is not a point on its curve", inner: e);
        }
    }

    private static ECCurve Curve(ushort group) => group switch
    {
        TlsNamedGroup.Secp256r1 => ECCurve.NamedCurves.nistP256,
        TlsNamedGroup.Secp384r1 => ECCurve.NamedCurves.nistP384,
        TlsNamedGroup.Secp521r1 => ECCurve.NamedCurves.nistP521,
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "not a supported key share group"),
    };

    public void Dispose() => _ecdh?.Dispose();
}
