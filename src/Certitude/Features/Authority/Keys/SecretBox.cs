using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Certitude.Features.Authority.Keys;

/// <summary>
/// AES-256-GCM under the <see cref="MasterKey"/>. A sealed value is <c>version (1) | nonce (12) | tag (16) |
/// ciphertext</c>; the purpose (e.g. "ca-key:corp-issuing") is authenticated as associated data, so a ciphertext
/// copied onto another row does not open there.
/// </summary>
public sealed class SecretBox(MasterKey masterKey)
{
    private const byte Version = 1;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int HeaderBytes = 1 + NonceBytes + TagBytes;

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var sealedValue = new byte[HeaderBytes + plaintext.Length];
        sealedValue[0] = Version;
        var nonce = sealedValue.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(masterKey.Bytes, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedValue.AsSpan(HeaderBytes), sealedValue.AsSpan(1 + NonceBytes, TagBytes), AssociatedData(purpose));
        return sealedValue;
    }

    /// <summary>Opens a sealed value; the caller clears the result when done with it.</summary>
    /// <exception cref="CryptographicException">Wrong master key, wrong purpose, or a damaged value.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedValue, string purpose)
    {
        if (sealedValue.Length < HeaderBytes || sealedValue[0] != Version)
        {
            throw new CryptographicException("The encrypted key is damaged or of an unknown version.");
        }

        var plaintext = new byte[sealedValue.Length - HeaderBytes];
        using var aes = new AesGcm(masterKey.Bytes, TagBytes);
        try
        {
            aes.Decrypt(sealedValue.Slice(1, NonceBytes), sealedValue[HeaderBytes..], sealedValue.Slice(1 + NonceBytes, TagBytes), plaintext, AssociatedData(purpose));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException("The encrypted key does not open with this master key (a different master.key or CERTITUDE_MASTER_KEY?).", e);
        }

        return plaintext;
    }

    private static byte[] AssociatedData(string purpose)
    {
        var bytes = Encoding.UTF8.GetBytes(purpose);
        var data = new byte[4 + bytes.Length];
        BinaryPrimitives.WriteInt32BigEndian(data, bytes.Length);
        bytes.CopyTo(data, 4);
        return data;
    }
}
