using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Certitude.Tls.Probing;
using Certitude.Tls.StartTls;

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
    private static readonly byte[] AlertsWorthATls13Retry = [70, 40, 71, 47, 50];

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
    /// connections and ends the enumeration.
    /// </summary>
    public async IAsyncEnumerable<EndpointScanResult> ScanAsync(
        IEnumerable<ScanEndpoint> endpoints,
        ScanCounters? counters = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        counters ??= new ScanCounters();
        var results = Channel.CreateBounded<EndpointScanResult>(new BoundedChannelOptions(1024) { SingleReader = true });
        var gate = new HostGate(_options.MaxConnectionsPerHost);
        using var source = endpoints.GetEnumerator();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        bool TryTake(out ScanEndpoint endpoint)
        {
            lock (source)
            {
                if (!stop.IsCancellationRequested && source.MoveNext())
                {
                    endpoint = source.Current;
                    return true;
                }
            }

            endpoint = null!;
            return false;
        }

        async Task WorkAsync()
        {
            while (TryTake(out var endpoint))
            {
                EndpointScanResult? result;
                await gate.EnterAsync(endpoint.Address, stop.Token).ConfigureAwait(false);
                try
                {
                    result = await ScanEndpointAsync(endpoint, stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    gate.Leave(endpoint.Address);
                }

                counters.Count(result);
                if (result is not null)
                {
                    await results.Writer.WriteAsync(result, stop.Token).ConfigureAwait(false);
                }
            }
        }

        var workers = Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(WorkAsync, stop.Token)).ToArray();
        var all = Task.WhenAll(workers).ContinueWith(
            t => results.Writer.TryComplete(t.Exception?.InnerException is OperationCanceledException ? null : t.Exception?.InnerException),
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

    /// <summary>Probes one endpoint; null when the port is closed or nothing answered the connect.</summary>
    public async Task<EndpointScanResult?> ScanEndpointAsync(ScanEndpoint endpoint, CancellationToken cancellationToken)
    {
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
                && AlertsWorthATls13Retry.Contains(outcome.Alert ?? 0))
            {
                var tls13 = await ProbeAsync(endpoint, endpoint.HostName, TlsProbeHello.Tls13, cancellationToken).ConfigureAwait(false);
                outcome = tls13.Kind == OutcomeKind.Failed && tls13.Failure == EndpointFailure.Alert ? outcome : tls13;
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

        TlsObservation? withoutSni = null;
        if (endpoint.HostName is not null && _options.ProbeWithoutSni)
        {
            var hello = outcome.Observation!.Protocol == TlsProtocolVersion.Tls13 ? TlsProbeHello.Tls13 : TlsProbeHello.Legacy;
            withoutSni = (await ProbeAsync(endpoint, null, hello, cancellationToken).ConfigureAwait(false)).Observation;
        }

        return new EndpointScanResult(endpoint, outcome.Observation, withoutSni, null, null, scannedAt);
    }

    private async Task<ProbeOutcome> ProbeAsync(ScanEndpoint endpoint, string? serverName, TlsProbeHello hello, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endpoint.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

        // An abortive close (RST) leaves no TIME_WAIT behind on either side: a scanner opens far more connections
        // than a client, and the server has nothing more to say once its certificate is read.
        socket.LingerState = new LingerOption(true, 0);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(endpoint.Address, endpoint.Port, deadline.Token).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostUnreachable
            or SocketError.NetworkUnreachable or SocketError.AddressNotAvailable or SocketError.HostDown)
        {
            return ProbeOutcome.NotOpen(transient: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.NotOpen(transient: true);
        }
        catch (SocketException)
        {
            return ProbeOutcome.NotOpen(transient: true);
        }

        deadline.CancelAfter(_options.HandshakeTimeout);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await StartTlsNegotiator.NegotiateAsync(stream, endpoint.StartTls, serverName, deadline.Token).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            var result = await TlsProbe.ProbeAsync(stream, new TlsProbeRequest(serverName, hello), deadline.Token).ConfigureAwait(false);
            var observation = new TlsObservation(result.Protocol, result.CipherSuiteName, result.ServerSupportsTls13, result.CertificateChain,
                Stopwatch.GetElapsedTime(started));
            return ProbeOutcome.Succeeded(observation);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed(EndpointFailure.Timeout, $"No TLS answer within {_options.HandshakeTimeout.TotalSeconds:0.#} s", transient: true);
        }
        catch (StartTlsException e) when (e.InnerException is IOException or SocketException)
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
        catch (IOException e)
        {
            return ProbeOutcome.Failed(EndpointFailure.ConnectionClosed, $"Connection lost: {e.Message}", transient: true);
        }
        catch (SocketException e)
        {
            return ProbeOutcome.Failed(EndpointFailure.ConnectionClosed, $"Connection lost: {e.Message}", transient: true);
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
