namespace Certitude.Tls.Scanning;

/// <summary>Live progress of a scan, safe to read from another thread while it runs.</summary>
public sealed class ScanCounters
{
    private long _done;
    private long _open;
    private long _certificates;
    private long _errors;

    /// <summary>Endpoints probed so far (open, closed or silent).</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary>Endpoints that accepted a connection.</summary>
    public long Open => Interlocked.Read(ref _open);

    /// <summary>Endpoints that presented a certificate.</summary>
    public long Certificates => Interlocked.Read(ref _certificates);

    /// <summary>Open endpoints that gave no certificate.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    internal void Count(EndpointScanResult? result)
    {
        Interlocked.Increment(ref _done);
        if (result is null)
        {
            return;
        }

        Interlocked.Increment(ref _open);
        Interlocked.Increment(ref result.Tls is null ? ref _errors : ref _certificates);
    }
}
