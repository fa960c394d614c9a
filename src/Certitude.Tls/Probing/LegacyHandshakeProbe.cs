using System.Buffers;
using Certitude.Tls.Wire;

namespace Certitude.Tls.Probing;

/// <summary>The legacy probe: one ClientHello, then ServerHello and Certificate in the clear (RFC 5246 §7.3).</summary>
internal static class LegacyHandshakeProbe
{
    public static async Task<TlsProbeResult> RunAsync(Stream stream, string? hostName, CancellationToken cancellationToken)
    {
        var hello = ArrayPool<byte>.Shared.Rent(LegacyClientHello.MaxLength);
        try
        {
            var length = LegacyClientHello.Write(hello, hostName);
            await stream.WriteAsync(hello.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(hello);
        }

        using var reader = new HandshakeReader(stream, tls13: false);
        var message = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (message.Type != TlsHandshakeType.ServerHello)
        {
            throw TlsFailures.Malformed($"the server's first handshake message is of type {message.Type}, not ServerHello");
        }

        var serverHello = ServerHello.Parse(message.Body.Span);

        // Without supported_versions in the hello, a server may not select TLS 1.3 (RFC 8446 §4.2.1), nor retry.
        if (serverHello.IsHelloRetryRequest || serverHello.SelectedVersion is not null || serverHello.LegacyVersion is < 0x0300 or > 0x0303)
        {
            throw TlsFailures.Malformed($"the server selected version 0x{serverHello.SelectedVersion ?? serverHello.LegacyVersion:X4} in answer to a hello offering at most TLS 1.2");
        }

        if (!CipherSuites.IsOffered(CipherSuites.LegacyOffer, serverHello.CipherSuite))
        {
            throw TlsFailures.Malformed($"the server selected cipher suite 0x{serverHello.CipherSuite:X4}, which the probe did not offer");
        }

        // Every offered suite authenticates with a certificate, so Certificate comes next (RFC 5246 §7.4.2).
        message = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (message.Type != TlsHandshakeType.Certificate)
        {
            throw TlsFailures.Malformed($"the server sent a handshake message of type {message.Type} where its Certificate belongs");
        }

        var chain = CertificateMessage.ParseTls12(message.Body.Span);
        return new TlsProbeResult(
            (TlsProtocolVersion)serverHello.LegacyVersion,
            serverHello.CipherSuite,
            CipherSuites.GetName(serverHello.CipherSuite),
            serverHello.HasTls13DowngradeSentinel,
            chain);
    }
}
