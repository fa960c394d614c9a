using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Certitude.Tls.Wire;

/// <summary>Decrypts the server's TLS 1.3 records with one traffic key (RFC 8446 §5.2, §5.3).</summary>
internal sealed class Tls13RecordProtection : IDisposable
{
    private const int TagLength = 16;
    private const int NonceLength = 12;

    /// <summary>RFC 8446 §5.2: a TLSCiphertext fragment is at most 2^14 + 256 bytes.</summary>
    private const int MaxCiphertextLength = 16384 + 256;

    private readonly AesGcm? _aesGcm;
    private readonly ChaCha20Poly1305? _chaCha;
    private readonly byte[] _iv;
    private ulong _sequence;

    public Tls13RecordProtection(ushort cipherSuite, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (cipherSuite == CipherSuites.TlsChaCha20Poly1305Sha256)
        {
            _chaCha = new ChaCha20Poly1305(key);
        }
        else
        {
            _aesGcm = new AesGcm(key, TagLength);
        }

        _iv = iv.ToArray();
    }

    /// <summary>Decrypts one record into <paramref name="plaintext"/> (at least the fragment's length).</summary>
    /// <returns>The length of the content, without the inner content type and padding.</returns>
    public int Decrypt(ReadOnlySpan<byte> header, ReadOnlySpan<byte> fragment, Span<byte> plaintext, out byte contentType)
    {
        if (fragment.Length <= TagLength || fragment.Length > MaxCiphertextLength)
        {
            throw TlsFailures.Malformed($"an encrypted record of {fragment.Length} bytes is too short or too long");
        }

        // RFC 8446 §5.3: the per-record nonce is the 64-bit sequence number, left-padded, XORed with the IV.
        Span<byte> nonce = stackalloc byte[NonceLength];
        _iv.CopyTo(nonce);
        var sequence = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ _sequence;
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], sequence);
        _sequence++;

        var ciphertext = fragment[..^TagLength];
        var tag = fragment[^TagLength..];
        var output = plaintext[..ciphertext.Length];
        try
        {
            if (_chaCha is not null)
            {
                _chaCha.Decrypt(nonce, ciphertext, tag, output, header);
            }
            else
            {
                _aesGcm!.Decrypt(nonce, ciphertext, tag, output, header);
            }
        }
        catch (CryptographicException e)
        {
            throw new Probing.TlsProbeException(Probing.TlsProbeFailure.Malformed, "a handshake record did not decrypt (bad_record_mac)", inner: e);
        }

        // RFC 8446 §5.4: TLSInnerPlaintext is content || type || zero padding; the type is the last non-zero byte.
        var end = output.Length - 1;
        while (end >= 0 && output[end] == 0)
        {
            end--;
        }

        if (end < 0)
        {
            throw TlsFailures.Malformed("a decrypted record has no content type");
        }

        contentType = output[end];
        return end;
    }

    public void Dispose()
    {
        _aesGcm?.Dispose();
        _chaCha?.Dispose();
    }
}
