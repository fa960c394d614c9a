namespace Certitude.Bench.Discovery;

/// <summary>The timed runs of one scanner on one target; figures are medians over the runs.</summary>
internal sealed record ScanMeasurement(string Scanner, string CommandLine, int Addresses, IReadOnlyList<ScanSample> Samples)
{
    public bool Finished => Samples.All(s => s.Findings is not null);

    public double Seconds => Median(Samples.Select(s => s.Seconds));

    public double CpuSeconds => Median(Samples.Select(s => s.CpuSeconds));

    public double NginxCpuSeconds => Median(Samples.Select(s => s.NginxCpuSeconds));

    /// <summary>Addresses scanned per second (on the /22 every address is an endpoint).</summary>
    public double Rate => Addresses / Seconds;

    /// <summary>Endpoints that accepted a connection, per run (the same in every run unless something is wrong).</summary>
    public IEnumerable<int> OpenEndpoints => Samples.Select(s => s.Findings?.OpenEndpoints ?? -1).Distinct();

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
