using System.Globalization;

namespace Certitude.Bench.Pki;

/// <summary>
/// The ceiling for issuance: ECDSA P-256 signatures per second by <c>openssl speed</c> on every core, in the same
/// run. Each certificate costs at least one such signature (and Certitude verifies the CSR's too).
/// </summary>
internal static class SignCeiling
{
    public static async Task<(double SignsPerSecond, double VerifiesPerSecond)> MeasureAsync(CancellationToken cancellationToken)
    {
        var cores = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        Console.Error.WriteLine($"openssl speed -seconds 5 -multi {cores} ecdsap256");
        var output = await ExternalProcess.RunAsync("openssl", ["speed", "-seconds", "5", "-multi", cores, "ecdsap256"], cancellationToken: cancellationToken);
        // e.g. " 256 bits ecdsa (nistp256)   0.0001s   0.0002s  19672.4   5300.5" (sign s, verify s, sign/s, verify/s)
        var line = output.Split('\n').LastOrDefault(l => l.Contains("ecdsa (nistp256)", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no nistp256 line in openssl speed's output:\n{output}");
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (double.Parse(fields[^2], CultureInfo.InvariantCulture), double.Parse(fields[^1], CultureInfo.InvariantCulture));
    }
}
