namespace Certitude.Bench.Pki;

/// <param name="CertitudeDll">The built <c>certitude.dll</c> that is started as <c>certitude serve</c>.</param>
/// <param name="WorkDirectory">Scratch space for this run: the data folder, the CA files, openssl's index (emptied first).</param>
/// <param name="Certificates">Certificates issued in the timed issuance run (after <see cref="WarmUp"/> untimed ones).</param>
/// <param name="WarmUp">Certificates per untimed warm-up round (JIT, connection pool, SQLite page cache); rounds repeat
/// until the server's tiered compilation is quiet.</param>
/// <param name="Concurrency">Requests in flight at once during issuance (one HTTP/1.1 connection each).</param>
/// <param name="OcspCertificates">Issued certificates the OCSP requests ask about.</param>
/// <param name="RevokedShare">Share of those revoked before the OCSP runs.</param>
/// <param name="Seconds">Length of each timed wrk run.</param>
/// <param name="Connections">wrk connections.</param>
/// <param name="Threads">wrk threads.</param>
internal sealed record BenchSettings(string CertitudeDll, string WorkDirectory, int Certificates, int WarmUp, int Concurrency,
    int OcspCertificates, double RevokedShare, int Seconds, int Connections, int Threads)
{
    private const string Usage =
        "usage: certitude-bench-pki --certitude PATH/certitude.dll [--work DIR] [--certificates N] [--warm-up N] [--concurrency N]"
        + " [--ocsp-certificates N] [--revoked 0.25] [--seconds N] [--connections N] [--threads N]";

    private static readonly string[] Known =
        ["certificates", "warm-up", "concurrency", "ocsp-certificates", "revoked", "seconds", "connections", "threads"];

    public static BenchSettings Parse(string[] args)
    {
        var arguments = BenchArguments.Parse(args, Known, Usage);
        var settings = new BenchSettings(
            arguments.Certitude,
            arguments.WorkDirectory,
            arguments.Number("certificates", 20_000),
            arguments.Number("warm-up", 1_000),
            arguments.Number("concurrency", 32),
            arguments.Number("ocsp-certificates", 4_000),
            arguments.Decimal("revoked", 0.25),
            arguments.Number("seconds", 10),
            arguments.Number("connections", 32),
            arguments.Number("threads", 2));
        if (settings.OcspCertificates > settings.Certificates || settings.RevokedShare is < 0 or > 1 || settings.Certificates < 1)
        {
            throw new ArgumentException($"--ocsp-certificates at most --certificates, --revoked between 0 and 1\n{Usage}");
        }

        return settings;
    }
}
