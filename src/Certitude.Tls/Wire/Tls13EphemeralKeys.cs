namespace Certitude.Tls.Wire;

/// <summary>
/// The key shares TLS 1.3 probes send, reused by every probe for a minute. Generating a key pair costs more than the
/// rest of a probe (X25519 in BouncyCastle, P-256 in OpenSSL, each a scalar multiplication), and forward secrecy buys
/// a probe nothing: it decrypts only the server's EncryptedExtensions and Certificate, public data, and never
/// finishes the handshake. Shares are never disposed (probes in flight may still hold an old one); the garbage
/// collector releases them.
/// </summary>
internal static class Tls13EphemeralKeys
{
    private const long LifetimeMilliseconds = 60_000;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<ushort, (Tls13KeyShare Share, long Expires)> Shares = [];

    public static Tls13KeyShare Get(ushort group)
    {
        var now = Environment.TickCount64;
        lock (Gate)
        {
            if (Shares.TryGetValue(group, out var cached) && cached.Expires > now)
            {
                return cached.Share;
            }
        }

        // Generated outside the lock; two probes racing at expiry each make one, and the last one stays.
        var share = Tls13KeyShare.Generate(group);
        lock (Gate)
        {
            Shares[group] = (share, now + LifetimeMilliseconds);
        }

        return share;
    }
}
