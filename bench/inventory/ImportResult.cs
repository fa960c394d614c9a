namespace Certitude.Bench.Inventory;

/// <param name="Label">The database.</param>
/// <param name="Certificates">Certificates the import reported.</param>
/// <param name="NewCertificates">Of those, new to the inventory.</param>
/// <param name="Seconds">Elapsed time of the whole command.</param>
/// <param name="CpuSeconds">CPU time of the certitude process (user and system), which other load on the machine
/// inflates far less than the elapsed time; the database server's own CPU time is not in it.</param>
internal sealed record ImportResult(string Label, long Certificates, long NewCertificates, double Seconds, double CpuSeconds)
{
    public double Rate => Certificates / Seconds;
}
