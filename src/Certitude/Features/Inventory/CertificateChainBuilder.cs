using Certitude.Data;
using Certitude.Pki;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Inventory;

/// <summary>
/// Links certificates to their issuers inside the inventory. Candidates are found by key identifier
/// (AKI = issuer's SKI) or, without one, by name; a link is made only when the candidate's key verifies the
/// signature, so a look-alike CA with the same name never becomes someone's issuer.
/// </summary>
internal static class CertificateChainBuilder
{
    private const int MaxChildrenPerPass = 10_000;

    public static async Task LinkAsync(CertitudeDbContext db, IReadOnlyList<(Certificate Entity, CertificateFacts Facts)> added, CancellationToken cancellationToken)
    {
        // Certificates of one batch often share an issuer: look each issuer up once per batch.
        var candidatesByIssuer = new Dictionary<(string IssuerHash, string? Aki), List<IssuerCandidate>>();
        foreach (var (certificate, _) in added)
        {
            if (certificate.IsSelfSigned)
            {
                continue;
            }

            var key = (certificate.IssuerHash, certificate.AuthorityKeyIdentifier);
            if (!candidatesByIssuer.TryGetValue(key, out var candidates))
            {
                candidates = await FindIssuerCandidatesAsync(db, key.IssuerHash, key.AuthorityKeyIdentifier, cancellationToken);
                candidatesByIssuer[key] = candidates;
            }

            certificate.IssuerCertificateId = candidates
                .FirstOrDefault(c => c.Id != certificate.Id && CertificateChainLinker.IsIssuedBy(certificate.Der, c.Der))?.Id;
        }

        foreach (var (certificate, _) in added.Where(a => a.Entity.IsCertificateAuthority || a.Entity.IsSelfSigned))
        {
            await AdoptOrphansAsync(db, certificate, cancellationToken);
        }
    }

    private static async Task<List<IssuerCandidate>> FindIssuerCandidatesAsync(CertitudeDbContext db, string issuerHash, string? aki, CancellationToken cancellationToken)
    {
        var candidates = db.Certificates.IgnoreQueryFilters().Where(c => c.SubjectHash == issuerHash);
        if (aki is not null)
        {
            candidates = candidates.Where(c => c.SubjectKeyIdentifier == aki);
        }

        return await candidates.OrderBy(c => c.Id).Select(c => new IssuerCandidate(c.Id, c.Der)).Take(20).ToListAsync(cancellationToken);
    }

    private sealed record IssuerCandidate(long Id, byte[] Der);

    /// <summary>Links certificates already in the inventory whose issuer just arrived.</summary>
    private static async Task AdoptOrphansAsync(CertitudeDbContext db, Certificate issuer, CancellationToken cancellationToken)
    {
        var orphans = db.Certificates.IgnoreQueryFilters()
            .Where(c => c.IssuerCertificateId == null && !c.IsSelfSigned && c.IssuerHash == issuer.SubjectHash && c.Id != issuer.Id);
        if (issuer.SubjectKeyIdentifier is { } ski)
        {
            orphans = orphans.Where(c => c.AuthorityKeyIdentifier == ski || c.AuthorityKeyIdentifier == null);
        }

        var rows = await orphans.OrderBy(c => c.Id).Select(c => new { c.Id, c.Der }).Take(MaxChildrenPerPass).ToListAsync(cancellationToken);
        var linked = rows.Where(r => CertificateChainLinker.IsIssuedBy(r.Der, issuer.Der)).Select(r => r.Id).ToList();
        foreach (var chunk in linked.Chunk(500))
        {
            await db.Certificates.IgnoreQueryFilters().Where(c => chunk.Contains(c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.IssuerCertificateId, issuer.Id), cancellationToken);
        }
    }
}
