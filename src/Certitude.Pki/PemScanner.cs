using System.Text;

namespace Certitude.Pki;

/// <summary>
/// Finds PEM blocks (RFC 7468 §2) in text that may hold anything else around them (OpenSSL's "Bag Attributes",
/// "subject=" lines, prose). One forward pass: every search starts where the previous one stopped, so the cost is linear
/// in the input however adversarial it is.
/// </summary>
/// <param name="content">The whole file.</param>
internal ref struct PemScanner(ReadOnlySpan<byte> content)
{
    // RFC 7468 sets no limit; real labels ("ENCRYPTED PRIVATE KEY", "PKCS #7 SIGNED DATA") are far shorter.
    private const int MaxLabelLength = 64;

    private readonly ReadOnlySpan<byte> _content = content;
    private int _position;
    private int _count;

    /// <summary>Whether the file had any "-----BEGIN " marker followed by a label.</summary>
    public readonly bool FoundAny => _count > 0;

    /// <summary>Finds the next block.</summary>
    /// <exception cref="CertificateFormatException">A block has no matching END line.</exception>
    public bool TryReadNext(out PemBlock block)
    {
        while (true)
        {
            var begin = _content[_position..].IndexOf("-----BEGIN "u8);
            if (begin < 0)
            {
                _position = _content.Length;
                block = default;
                return false;
            }

            var labelStart = _position + begin + "-----BEGIN ".Length;
            var window = _content[labelStart..];
            window = window[..Math.Min(window.Length, MaxLabelLength + 5)];
            var labelLength = window.IndexOf("-----"u8);
            if (labelLength <= 0 || !IsLabel(window[..labelLength]))
            {
                _position = labelStart;
                continue;
            }

            var label = Encoding.ASCII.GetString(window[..labelLength]);
            _count++;
            var bodyStart = labelStart + labelLength + 5;
            var endLine = Encoding.ASCII.GetBytes($"-----END {label}-----");
            var bodyLength = _content[bodyStart..].IndexOf(endLine);
            if (bodyLength < 0 || _content.Slice(bodyStart, bodyLength).IndexOf("-----BEGIN "u8) >= 0)
            {
                throw new CertificateFormatException($"PEM block {_count} ({label}) has no END line");
            }

            _position = bodyStart + bodyLength + endLine.Length;
            block = new PemBlock(_count, label, bodyStart, bodyLength);
            return true;
        }
    }

    private static bool IsLabel(ReadOnlySpan<byte> candidate)
    {
        foreach (var b in candidate)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        return true;
    }
}
