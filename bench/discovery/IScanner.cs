namespace Certitude.Bench.Discovery;

/// <summary>One of the two scanners compared: runs once on a target (an address or a CIDR) at port 8443 and reads what it found.</summary>
internal interface IScanner
{
    string Name { get; }

    /// <summary>The command as a person would type it, for the report.</summary>
    string CommandLine(string target);

    /// <summary>The timed run, and its findings (null when it was stopped at <paramref name="timeout"/>).</summary>
    Task<(TimedRun Run, ScanFindings? Findings)> ScanAsync(string target, string outputDirectory, TimeSpan timeout, CancellationToken cancellationToken);
}
