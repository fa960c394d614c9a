namespace Certitude.Tls.Wire;

/// <summary>
/// The fields of a ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3) a probe acts on, including the
/// HelloRetryRequest form (RFC 8446 §4.1.4), which is a ServerHello with a special random.
/// </summary>
internal sealed class ServerHello
{
    /// <summary>SHA-256("HelloRetryRequest"), the random that marks a HelloRetryRequest (RFC 8446 §4.1.3).</summary>
    private static ReadOnlySpan<byte> HelloRetryRequestRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    /// <summary>"DOWNGRD" followed by 0x01: a TLS 1.3 server negotiating TLS 1.2 ends its random with it (RFC 8446 §4.1.3).</summary>
    private static ReadOnlySpan<byte> DowngradeTls12Sentinel => "DOWNGRD\u0001"u8;

    public ushort LegacyVersion { get; private init; }

    public ushort CipherSuite { get; private init; }

    public bool IsHelloRetryRequest { get; private init; }

    /// <summary>The random ends with the TLS 1.2 downgrade sentinel: the server would have spoken TLS 1.3.</summary>
    public bool HasTls13DowngradeSentinel { get; private init; }

    /// <summary>The supported_versions extension's selected_version, when present (RFC 8446 §4.2.1).</summary>
    public ushort? SelectedVersion { get; private init; }

    /// <summary>The key_share group: the server's share in a ServerHello, the requested group in a HelloRetryRequest.</summary>
    public ushort? KeyShareGroup { get; private init; }

    public byte[]? KeyShare { get; private init; }

    /// <summary>The cookie extension of a HelloRetryRequest, to be echoed in the second ClientHello (RFC 8446 §4.2.2).</summary>
    public byte[]? Cookie { get; private init; }

    public static ServerHello Parse(ReadOnlySpan<byte> body)
    {
        var reader = new SpanReader(body, "ServerHello");
        var version = reader.ReadUInt16();
        var random = reader.ReadBytes(32);
        var isRetry = random.SequenceEqual(HelloRetryRequestRandom);
        var sessionId = reader.ReadVector8();
        if (sessionId.Length > 32)
        {
            throw TlsFailures.Malformed("the ServerHello's session id is longer than 32 bytes");
        }

        var suite = reader.ReadUInt16();
        if (reader.ReadUInt8() != 0)
        {
            throw TlsFailures.Malformed("the ServerHello selects a compression method the probe did not offer");
        }

        ushort? selectedVersion = null;
        ushort? group = null;
        byte[]? keyShare = null;
        byte[]? cookie = null;

        // SSL 3.0 and early TLS servers may end the message here: extensions are optional before TLS 1.3.
        if (reader.Remaining > 0)
        {
            var extensions = new SpanReader(reader.ReadVector16(), "ServerHello extensions");
            if (reader.Remaining != 0)
            {
                throw TlsFailures.Malformed("the ServerHello has bytes after its extensions");
            }

            while (extensions.Remaining > 0)
            {
                var type = extensions.ReadUInt16();
                var data = new SpanReader(extensions.ReadVector16(), "ServerHello extension");
                switch (type)
                {
                    case TlsExtensionType.SupportedVersions:
                        selectedVersion = data.ReadUInt16();
                        break;
                    case TlsExtensionType.KeyShare:
                        // RFC 8446 §4.2.8: a HelloRetryRequest carries only the selected group.
                        group = data.ReadUInt16();
                        if (!isRetry)
                        {
                            keyShare = data.ReadVector16().ToArray();
                        }

                        break;
                    case TlsExtensionType.Cookie:
                        cookie = data.ReadVector16().ToArray();
                        break;
                }
            }
        }

        return new ServerHello
        {
            LegacyVersion = version,
            CipherSuite = suite,
            IsHelloRetryRequest = isRetry,
            HasTls13DowngradeSentinel = random[24..].SequenceEqual(DowngradeTls12Sentinel),
            SelectedVersion = selectedVersion,
            KeyShareGroup = group,
            KeyShare = keyShare,
            Cookie = cookie,
        };
    }
}
