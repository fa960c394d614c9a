using System.Security.Cryptography;
using Certitude.Tls.Wire;

namespace Certitude.Tls.Probing;

/// <summary>
/// The TLS 1.3 probe (RFC 8446 §2): ClientHello with key shares, an optional HelloRetryRequest round, then the
/// handshake keys derived from the ServerHello to decrypt EncryptedExtensions and Certificate.
/// </summary>
internal static class Tls13HandshakeProbe
{
    private const int HelloRandomLength = 32;

    public static async Task<TlsProbeResult> RunAsync(Stream stream, string? hostName, CancellationToken cancellationToken)
    {
        var randomAndSessionId = new byte[2 * HelloRandomLength];
        RandomNumberGenerator.Fill(randomAndSessionId);

        // x25519 and P-256 cover nearly every server in one round trip; any other group we list in supported_groups
        // comes through a HelloRetryRequest.
        List<Tls13KeyShare> shares = [Tls13EphemeralKeys.Get(TlsNamedGroup.X25519), Tls13EphemeralKeys.Get(TlsNamedGroup.Secp256r1)];
        IncrementalHash? transcript = null;
        try
        {
            var clientHello = Tls13ClientHello.Build(hostName, randomAndSessionId.AsSpan(0, HelloRandomLength), randomAndSessionId.AsSpan(HelloRandomLength), shares, []);
            await SendAsync(stream, clientHello, cancellationToken).ConfigureAwait(false);

            using var reader = new HandshakeReader(stream, tls13: true);
            var message = await ReadServerHelloAsync(reader, cancellationToken).ConfigureAwait(false);
            var serverHello = ServerHello.Parse(message.Body.Span);
            CheckVersionAndSuite(serverHello);
            transcript = IncrementalHash.CreateHash(HashFor(serverHello.CipherSuite));

            if (serverHello.IsHelloRetryRequest)
            {
                var group = serverHello.KeyShareGroup;
                if (group is not { } requested || !Tls13KeyShare.IsSupported(requested) || shares.Exists(s => s.Group == requested))
                {
                    throw TlsFailures.Malformed($"the HelloRetryRequest asks for group {group}, which the probe did not offer or already sent");
                }

                // RFC 8446 §4.4.1: after a retry, ClientHello1 enters the transcript as message_hash(Hash(ClientHello1)).
                Span<byte> firstHash = stackalloc byte[64];
                var hashLength = HashOnce(serverHello.CipherSuite, clientHello.AsSpan(TlsRecordReader.HeaderLength), firstHash);
                transcript.AppendData([TlsHandshakeType.MessageHash, 0, 0, (byte)hashLength]);
                transcript.AppendData(firstHash[..hashLength]);
                transcript.AppendData(message.Raw.Span);

                shares = [Tls13EphemeralKeys.Get(requested)];
                var retrySuite = serverHello.CipherSuite;
                clientHello = Tls13ClientHello.Build(hostName, randomAndSessionId.AsSpan(0, HelloRandomLength), randomAndSessionId.AsSpan(HelloRandomLength), shares, serverHello.Cookie);
                transcript.AppendData(clientHello.AsSpan(TlsRecordReader.HeaderLength));
                await SendAsync(stream, clientHello, cancellationToken).ConfigureAwait(false);

                message = await ReadServerHelloAsync(reader, cancellationToken).ConfigureAwait(false);
                serverHello = ServerHello.Parse(message.Body.Span);
                CheckVersionAndSuite(serverHello);
                if (serverHello.IsHelloRetryRequest || serverHello.CipherSuite != retrySuite)
                {
                    // RFC 8446 §4.1.4: one retry at most, and the ServerHello keeps the retry's suite.
                    throw TlsFailures.Malformed("the server sent a second HelloRetryRequest or changed its cipher suite after one");
                }
            }
            else
            {
                transcript.AppendData(clientHello.AsSpan(TlsRecordReader.HeaderLength));
            }

            transcript.AppendData(message.Raw.Span);
            var share = shares.Find(s => s.Group == serverHello.KeyShareGroup);
            if (share is null || serverHello.KeyShare is null)
            {
                throw TlsFailures.Malformed($"the ServerHello's key share (group {serverHello.KeyShareGroup}) matches none the probe sent");
            }

            reader.UseServerHandshakeKeys(DeriveServerHandshakeKeys(serverHello.CipherSuite, share.DeriveSharedSecret(serverHello.KeyShare), transcript.GetHashAndReset()));

            // RFC 8446 §2: EncryptedExtensions, then CertificateRequest when the server wants a client certificate,
            // then Certificate (no PSK was offered, so the server must authenticate with one).
            message = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (message.Type != TlsHandshakeType.EncryptedExtensions)
            {
                throw TlsFailures.Malformed($"the server's first encrypted message is of type {message.Type}, not EncryptedExtensions");
            }

            message = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (message.Type == TlsHandshakeType.CertificateRequest)
            {
                message = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }

            if (message.Type != TlsHandshakeType.Certificate)
            {
                throw TlsFailures.Malformed($"the server sent a handshake message of type {message.Type} where its Certificate belongs");
            }

            var chain = CertificateMessage.ParseTls13(message.Body.Span);
            return new TlsProbeResult(TlsProtocolVersion.Tls13, serverHello.CipherSuite, CipherSuites.GetName(serverHello.CipherSuite), true, chain);
        }
        finally
        {
            transcript?.Dispose();
        }
    }

    private static async Task SendAsync(Stream stream, byte[] record, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(record, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<HandshakeMessage> ReadServerHelloAsync(HandshakeReader reader, CancellationToken cancellationToken)
    {
        var message = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return message.Type == TlsHandshakeType.ServerHello
            ? message
            : throw TlsFailures.Malformed($"the server sent a handshake message of type {message.Type} where its ServerHello belongs");
    }

    private static void CheckVersionAndSuite(ServerHello serverHello)
    {
        // RFC 8446 §4.2.1: a TLS 1.3 ServerHello carries supported_versions; without it the server chose an older
        // version, which this hello (TLS 1.3 suites only) does not allow.
        if (serverHello.SelectedVersion != 0x0304)
        {
            throw TlsFailures.Malformed($"the server selected version 0x{serverHello.SelectedVersion ?? serverHello.LegacyVersion:X4} in answer to a TLS 1.3 only hello");
        }

        if (!CipherSuites.IsOffered(CipherSuites.Tls13Offer, serverHello.CipherSuite))
        {
            throw TlsFailures.Malformed($"the server selected cipher suite 0x{serverHello.CipherSuite:X4}, which the probe did not offer");
        }
    }

    private static HashAlgorithmName HashFor(ushort suite) =>
        suite == CipherSuites.TlsAes256GcmSha384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    private static int HashOnce(ushort suite, ReadOnlySpan<byte> data, Span<byte> destination) =>
        suite == CipherSuites.TlsAes256GcmSha384 ? SHA384.HashData(data, destination) : SHA256.HashData(data, destination);

    /// <summary>RFC 8446 §7.1 and §7.3: shared secret and transcript hash to the server's handshake key and IV.</summary>
    private static Tls13RecordProtection DeriveServerHandshakeKeys(ushort suite, byte[] sharedSecret, byte[] transcriptHash)
    {
        var hash = HashFor(suite);
        var handshakeSecret = Tls13KeySchedule.HandshakeSecret(hash, sharedSecret);
        var trafficSecret = Tls13KeySchedule.ServerHandshakeTrafficSecret(hash, handshakeSecret, transcriptHash);
        var keyLength = suite == CipherSuites.TlsAes128GcmSha256 ? 16 : 32;
        var key = Tls13KeySchedule.TrafficKey(hash, trafficSecret, keyLength);
        var iv = Tls13KeySchedule.TrafficIv(hash, trafficSecret);
        var protection = new Tls13RecordProtection(suite, key, iv);
        CryptographicOperations.ZeroMemory(sharedSecret);
        CryptographicOperations.ZeroMemory(handshakeSecret);
        CryptographicOperations.ZeroMemory(trafficSecret);
        CryptographicOperations.ZeroMemory(key);
        return protection;
    }
}
