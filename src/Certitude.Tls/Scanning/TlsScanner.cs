using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Certitude.Tls.Probing;
using Certitude.Tls.StartTls;
using Certitude.Tls.Wire;

namespace Certitude.Tls.Scanning;

/// <summary>
/// The scanner engine: connects to many endpoints at once (bounded overall and per host), performs the STARTTLS step
/// where the port needs one, and reads each server's certificate chain with a hand-built ClientHello. An endpoint that
/// stalls, drips, resets or sends garbage costs at most its timeouts and retries; it never holds up the others.
/// Closed ports and silent addresses produce no result (they are counted in <see cref="ScanCounters.Done"/>).
/// </summary>
public sealed class TlsScanner
{
    /// <summary>TLS alerts after which a server may still speak TLS 1.3 (RFC 8446 §6.2: protocol_version, handshake_failure, insufficient_security, illegal_parameter, decode_error).</summary>
    /// <remarks>missing_extension (109) is what a TLS 1.3-only server may say of a hello without supported_versions.</remarks>
    private static readonly byte[] AlertsWorthATls13Retry = [70, 40, 71, 47, 50, 109];

    private readonly ScannerOptions _options;
    private readonly TimeProvider _time;

    /// <summary>A scanner with the given options.</summary>
    public TlsScanner(ScannerOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new ScannerOptions();
        _options.Validate();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Probes every endpoint and yields those that accepted a connection, in completion order. Cancelling stops new
    /// connections and ends the enumeration with <see cref="OperationCanceledException"/>; no work is left running
    /// once the enumeration has ended. A failing endpoint becomes a result with a <see cref="EndpointFailure"/>; only an
    /// exception thrown by <paramref name="endpoints"/> itself ends the scan.
    /// </summary>
    /// <param name="endpoints">The endpoints, enumerated once and lazily (a sweep over a large range is never held in memory).</param>
    /// <param name="counters">Live progress, updated as endpoints complete.</param>
    /// <param name="cancellationToken">Ends the scan.</param>
    /// <returns>The results of the endpoints that accepted a connection.</returns>
    public async IAsyncEnumerable<EndpointScanResult> ScanAsync(
        IEnumerable<ScanEndpoint> endpoints,
        ScanCounters? counters = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        counters ??= new ScanCounters();
        var results = Channel.CreateBounded<EndpointScanResult>(new BoundedChannelOptions(1024) { SingleReader = true });
        using var source = endpoints.GetEnumerator();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queue = new ScanQueue(source, new HostGate(_options.MaxConnectionsPerHost), Math.Max(4096, 16 * _options.Concurrency));
        Exception? failure = null;

        async Task WorkAsync()
        {
            // Off the caller's thread at once: the workers start together and none runs the caller's first step.
            await Task.Yield();
            try
            {
                ScanEndpoint? endpoint = null;
                while ((endpoint = await queue.NextAsync(endpoint, stop.Token).ConfigureAwait(false)) is not null)
                {
                    var result = await ScanEndpointAsync(endpoint, stop.Token).ConfigureAwait(false);
                    counters.Count(result);
                    if (result is not null)
                    {
                        await results.Writer.WriteAsync(result, stop.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // Only the endpoint list itself gets here (ScanEndpointAsync turns every endpoint's failure into a
                // result): the scan cannot go on, so the others stop too.
                Interlocked.CompareExchange(ref failure, e, null);
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }

        var workerCount = endpoints.TryGetNonEnumeratedCount(out var count) ? Math.Clamp(count, 1, _options.Concurrency) : _options.Concurrency;
        var workers = new Task[workerCount];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = WorkAsync();
        }

        var all = Task.WhenAll(workers).ContinueWith(
            _ => results.Writer.TryComplete(Volatile.Read(ref failure)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var result in results.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Probes one endpoint: connects (retrying a connect timeout), performs its STARTTLS step, sends the legacy
    /// ClientHello and, when the server refuses it with an alert a TLS 1.3-only server sends, the TLS 1.3 ClientHello;
    /// a timeout or a lost connection is retried <see cref="ScannerOptions.Retries"/> times. With a host name, a
    /// second probe without SNI follows.
    /// </summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="cancellationToken">Cancels the probe (with <see cref="OperationCanceledException"/>).</param>
    /// <returns>Null when the port is closed or nothing answered the connect; otherwise the certificate or why there was none.</returns>
    public async Task<EndpointScanResult?> ScanEndpointAsync(ScanEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var scannedAt = _time.GetUtcNow();
        ProbeOutcome outcome = default;
        for (var attempt = 0; attempt <= _options.Retries; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(_options.RetryDelay, _time, cancellationToken).ConfigureAwait(false);
            }

            outcome = await ProbeAsync(endpoint, endpoint.HostName, TlsProbeHello.Legacy, cancellationToken).ConfigureAwait(false);
            if (outcome.Kind == OutcomeKind.Failed && outcome.Failure == EndpointFailure.Alert
                && outcome.Alert is { } alert && AlertsWorthATls13Retry.Contains(alert))
            {
                // A refusal of the TLS 1.3 hello too (or a port gone in between) leaves the first refusal as the answer.
                var tls13 = await ProbeAsync(endpoint, endpoint.HostName, TlsProbeHello.Tls13, cancellationToken).ConfigureAwait(false);
                if (tls13.Kind != OutcomeKind.NotOpen && tls13.Failure != EndpointFailure.Alert)
                {
                    outcome = tls13;
                }
            }

            if (!outcome.Transient)
            {
                break;
            }
        }

        switch (outcome.Kind)
        {
            case OutcomeKind.NotOpen:
                return null;
            case OutcomeKind.Failed:
                return new EndpointScanResult(endpoint, null, null, outcome.Failure, outcome.Error, scannedAt);
        }

        // An address or a name that is no DNS name is never sent as SNI: the second probe would repeat the first.
        TlsObservation? withoutSni = null;
        if (_options.ProbeWithoutSni && ServerNameIndication.ToHostName(endpoint.HostName) is not null)
        {
            var hello = outcome.Observation!.Protocol == TlsProtocolVersion.Tls13 ? TlsProbeHello.Tls13 : TlsProbeHello.Legacy;
            withoutSni = (await ProbeAsync(endpoint, null, hello, cancellationToken).ConfigureAwait(false)).Observation;
        }

        return new EndpointScanResult(endpoint, outcome.Observation, withoutSni, null, null, scannedAt);
    }

    /// <summary>One connection and one ClientHello. Throws only <see cref="OperationCanceledException"/>, and only for <paramref name="cancellationToken"/>.</summary>
    private async Task<ProbeOutcome> ProbeAsync(ScanEndpoint endpoint, string? serverName, TlsProbeHello hello, CancellationToken cancellationToken)
    {
        Socket? socket = null;
        NetworkStream? stream = null;
        CancellationTokenRegistration link = default;

        // One timer for the connect and then the handshake, on the injected clock; the caller's token cancels it too.
        var deadline = new CancellationTokenSource(_options.ConnectTimeout, _time);
        try
        {
            link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
            socket = new Socket(endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(endpoint.Address, endpoint.Port, deadline.Token).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostUnreachable
                or SocketError.NetworkUnreachable or SocketError.HostDown)
            {
                return ProbeOutcome.NotOpen(transient: false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset && !cancellationToken.IsCancellationRequested)
            {
                // Connected, then reset before the connect was seen to complete: the port is open, its server hung up.
                return ProbeOutcome.Failed(EndpointFailure.ConnectionClosed, "the server reset the connection as it accepted it", transient: true);
            }
            catch (SocketException) when (!cancellationToken.IsCancellationRequested)
            {
                // A timeout or a timeout during the connect, or this machine out of ports for a moment: worth a retry.
                return ProbeOutcome.NotOpen(transient: true);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ProbeOutcome.NotOpen(transient: true);
            }

            // Set only once connected: a closed port costs no system call it does not need. An abortive close (RST)
            // leaves no TIME_WAIT behind on either side: a scanner opens far more connections than a client, and the
            // server has nothing more to say once its certificate is read.
            socket.NoDelay = true;
            socket.LingerState = new LingerOption(true, 0);
            deadline.CancelAfter(_options.HandshakeTimeout);
            stream = new NetworkStream(socket, ownsSocket: false);
            await StartTlsNegotiator.NegotiateAsync(stream, endpoint.StartTls, serverName, deadline.Token).ConfigureAwait(false);
            var started = _time.GetTimestamp();
            var result = await TlsProbe.ProbeAsync(stream, new TlsProbeRequest(serverName, hello), deadline.Token).ConfigureAwait(false);
            var observation = new TlsObservation(result.Protocol, result.CipherSuiteName, result.ServerSupportsTls13, result.CertificateChain,
                _time.GetElapsedTime(started));
            return ProbeOutcome.Succeeded(observation);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            // Whatever a canceled read turned into (a closed stream, a reset), the caller asked for a cancellation.
            throw new OperationCanceledException("the scan was canceled", e, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return ProbeOutcome.Failed(
                EndpointFailure.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"no answer within the {_options.HandshakeTimeout.TotalSeconds:0.###} s handshake timeout"),
                transient: true);
        }
        catch (StartTlsException e) when (e.InnerException is IOException or SocketException or ObjectDisposedException)
        {
            return ProbeOutcome.Failed(EndpointFailure.ConnectionClosed, e.Message, transient: true);
        }
        catch (StartTlsException e)
        {
            return ProbeOutcome.Failed(EndpointFailure.StartTlsRefused, e.Message, transient: false);
        }
        catch (TlsProbeException e)
        {
            var failure = e.Failure switch
            {
                TlsProbeFailure.Alert => EndpointFailure.Alert,
                TlsProbeFailure.ConnectionClosed => EndpointFailure.ConnectionClosed,
                TlsProbeFailure.NotTls => EndpointFailure.NotTls,
                TlsProbeFailure.TooLarge => EndpointFailure.TooLarge,
                _ => EndpointFailure.Malformed,
            };
            return ProbeOutcome.Failed(failure, e.Message, transient: failure == EndpointFailure.ConnectionClosed, e.AlertDescription);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return ProbeOutcome.Failed(EndpointFailure.ConnectionClosed, "the connection failed: " + e.Message, transient: true);
        }
        catch (ObjectDisposedException e)
        {
            return ProbeOutcome.Failed(EndpointFailure.ConnectionClosed, "the connection was closed under the probe: " + e.Message, transient: false);
        }
        catch (Exception e)
        {
            // A bug in a probe, or a server that found one: this endpoint's failure, never the whole scan's.
            return ProbeOutcome.Failed(EndpointFailure.Malformed, $"unexpected {e.GetType().Name}: {e.Message}", transient: false);
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket?.Dispose();
            await link.DisposeAsync().ConfigureAwait(false);
            deadline.Dispose();
        }
    }

    private enum OutcomeKind
    {
        NotOpen,
        Failed,
        Succeeded,
    }

    private readonly record struct ProbeOutcome(OutcomeKind Kind, bool Transient, TlsObservation? Observation, EndpointFailure? Failure, string? Error, byte? Alert)
    {
        public static ProbeOutcome NotOpen(bool transient) => new(OutcomeKind.NotOpen, transient, null, null, null, null);

        public static ProbeOutcome Failed(EndpointFailure failure, string error, bool transient, byte? alert = null) =>
            new(OutcomeKind.Failed, transient, null, failure, error, alert);

        public static ProbeOutcome Succeeded(TlsObservation observation) => new(OutcomeKind.Succeeded, false, observation, null, null, null);
    }
}
