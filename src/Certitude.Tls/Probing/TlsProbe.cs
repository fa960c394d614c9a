using System.Net.Sockets;
using Certitude.Tls.Wire;

namespace Certitude.Tls.Probing;

/// <summary>
/// Reads a server's certificate chain with a hand-built ClientHello: no TLS library, no completed handshake, nothing
/// verified. What the scanner uses to see certificates the platform's TLS stack could not (old protocols, broken chains,
/// untrusted roots) at thousands of probes a second.
/// </summary>
public static class TlsProbe
{
    /// <summary>
    /// Sends a ClientHello over an already connected stream (plain TCP, or after a STARTTLS step), reads the server's
    /// flight up to its Certificate message, and returns the chain; never completes the handshake (the caller closes).
    /// </summary>
    /// <param name="stream">The connection; the probe writes one ClientHello (two after a TLS 1.3 HelloRetryRequest) and reads.</param>
    /// <param name="request">The server name to send and the kind of ClientHello.</param>
    /// <param name="cancellationToken">The caller's time limit: a server that stops sending is only ended by it.</param>
    /// <returns>The negotiated version and suite, and the chain exactly as the server sent it.</returns>
    /// <exception cref="TlsProbeException">The server sent an alert, closed, did not speak TLS, sent a malformed or too large answer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public static Task<TlsProbeResult> ProbeAsync(Stream stream, TlsProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(request);
        return ProbeCoreAsync(stream, request, cancellationToken);
    }

    private static async Task<TlsProbeResult> ProbeCoreAsync(Stream stream, TlsProbeRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hostName = ServerNameIndication.ToHostName(request.ServerName);
        try
        {
            return request.Hello == TlsProbeHello.Tls13
                ? await Tls13HandshakeProbe.RunAsync(stream, hostName, cancellationToken).ConfigureAwait(false)
                : await LegacyHandshakeProbe.RunAsync(stream, hostName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is IOException or SocketException or ObjectDisposedException)
        {
            // A caller that enforces its timeout by closing the stream makes the pending read fail this way.
            throw new OperationCanceledException("the probe was canceled", e, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw TlsFailures.ConnectionClosed($"the connection failed: {e.Message}", e);
        }
    }
}
