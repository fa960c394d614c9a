using Certitude.Pki.Signing;

namespace Certitude.Features.Authority.Keys;

/// <summary>
/// Where private keys of CAs (and server-generated subscriber keys) live. The software store keeps them in the
/// database sealed by <see cref="SecretBox"/>; an HSM store (PKCS#11, a later issue) keeps only a handle to a key
/// inside the device. The CA code asks for a key by the reference it stored and never sees how it is kept.
/// </summary>
public interface ICaKeyStore
{
    /// <summary>Stable key of the store, saved beside each reference ("software").</summary>
    string Kind { get; }

    /// <summary>Keeps the key; returns what to store on the row to find it again.</summary>
    byte[] Store(SigningKey key, string purpose);

    /// <summary>The key for a stored reference. The caller disposes it.</summary>
    SigningKey Open(byte[] reference, string purpose);
}
