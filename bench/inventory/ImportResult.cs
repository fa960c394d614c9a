namespace Certitude.Bench.Inventory;

internal sealed record ImportResult(string Label, long Certificates, long NewCertificates, double Seconds)
{
    public double Rate => Certificates / Seconds;
}
