namespace Certitude.Bench.Inventory;

internal sealed record ParseResult(int Files, long Bytes, long Certificates, double Seconds, int VerifiedSample, double VerifySeconds)
{
    public double Rate => Certificates / Seconds;

    public double VerifyRate => VerifiedSample / VerifySeconds;

    /// <summary>Parsing plus one signature check per certificate, the least CPU work an import that links chains does.</summary>
    public double ParseAndLinkRate => 1 / ((1 / Rate) + (1 / VerifyRate));
}
