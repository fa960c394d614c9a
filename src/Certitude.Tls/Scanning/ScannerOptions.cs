namespace Certitude.Tls.Scanning;

/// <summary>How hard and how patiently the scanner works.</summary>
public sealed record ScannerOptions
{
    /// <summary>The longest timeout or pause accepted: one endpoint never costs more than minutes.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    /// <summary>Connections in flight at once, over all hosts.</summary>
    public int Concurrency { get; init; } = 512;

    /// <summary>Connections in flight at once to one address: a scan never floods a single server.</summary>
    public int MaxConnectionsPerHost { get; init; } = 4;

    /// <summary>How long a TCP connect may take before the endpoint counts as not answering.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the STARTTLS step and the TLS probe of one connection may take together.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Further attempts after a timeout or a reset (never after a refusal or a TLS alert).</summary>
    public int Retries { get; init; } = 1;

    /// <summary>The pause before a retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether to probe once more without SNI when a host name is known (servers may present another certificate).</summary>
    public bool ProbeWithoutSni { get; init; } = true;

    /// <summary>Checks the values, naming the first one out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1, nameof(Concurrency));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Concurrency, 20_000, nameof(Concurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnectionsPerHost, 1, nameof(MaxConnectionsPerHost));
        ArgumentOutOfRangeException.ThrowIfLessThan(ConnectTimeout, TimeSpan.FromMilliseconds(10), nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ConnectTimeout, MaxWait, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(HandshakeTimeout, TimeSpan.FromMilliseconds(10), nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HandshakeTimeout, MaxWait, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(Retries, nameof(Retries));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Retries, 5, nameof(Retries));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(RetryDelay, MaxWait, nameof(RetryDelay));
    }
}
