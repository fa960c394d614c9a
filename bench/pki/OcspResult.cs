namespace Certitude.Bench.Pki;

/// <summary>The OCSP part: what was asked, and each wrk run.</summary>
internal sealed record OcspResult(int Certificates, int Revoked, IReadOnlyList<WrkResult> Runs)
{
    public WrkResult Run(string label) => Runs.Single(r => r.Label == label);
}
