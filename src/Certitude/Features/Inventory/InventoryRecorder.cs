using Certitude.Data;
using Certitude.Pki;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Inventory;

/// <summary>
/// Puts one certificate into the inventory inside the caller's transaction: what issuance and CA creation use, so
/// that the certificate, its inventory record and the caller's own rows are committed together or not at all.
/// Files and uploads go through <see cref="CertificateImporter"/> instead.
/// </summary>
internal static class InventoryRecorder
{
    /// <summary>The certificate's inventory id (an existing record when already known; restored if deleted).</summary>
    public static Task<long> RecordAsync(CertitudeDbContext db, byte[] der, long divisionId, long? issuerCertificateId,
        RecordedSource source, string? owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        RecordAsync(db, CertificateReader.ReadFacts(der), divisionId, issuerCertificateId, source, owner, now, cancellationToken);

    /// <summary>As above, with the certificate's facts already read (issuance reads them once for both tables).</summary>
    public static async Task<long> RecordAsync(CertitudeDbContext db, CertificateFacts facts, long divisionId, long? issuerCertificateId,
        RecordedSource source, string? owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var location = Limit(source.Location);
        var certificate = await db.Certificates.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Sha256Fingerprint == facts.Sha256Fingerprint, cancellationToken);
        if (certificate is null)
        {
            certificate = CertificateImporter.ToEntity(facts);
            certificate.DivisionId = divisionId;
            certificate.IssuerCertificateId = issuerCertificateId;
            certificate.Owner = owner;
            certificate.CreatedAt = now;
            certificate.UpdatedAt = now;
            // New: its source goes in with it, one round of inserts (issuance's case: a fresh serial, a new certificate).
            certificate.Sources.Add(new CertificateSource
            {
                Kind = source.Kind, Location = location, Actor = source.Actor, FirstSeenAt = now, LastSeenAt = now,
            });
            db.Certificates.Add(certificate);
            await db.SaveChangesAsync(cancellationToken);
            if (certificate.IsCertificateAuthority || certificate.IsSelfSigned)
            {
                await CertificateChainBuilder.AdoptOrphansAsync(db, [certificate], cancellationToken);
            }

            return certificate.Id;
        }

        certificate.DeletedAt = null;
        certificate.IssuerCertificateId ??= issuerCertificateId;
        await db.SaveChangesAsync(cancellationToken);
        var existing = await db.CertificateSources.FirstOrDefaultAsync(s => s.CertificateId == certificate.Id && s.Kind == source.Kind && s.Location == location, cancellationToken);
        if (existing is null)
        {
            db.CertificateSources.Add(new CertificateSource
            {
                CertificateId = certificate.Id, Kind = source.Kind, Location = location, Actor = source.Actor, FirstSeenAt = now, LastSeenAt = now,
            });
        }
        else
        {
            existing.LastSeenAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        return certificate.Id;
    }

    /// <summary>
    /// As <see cref="RecordAsync(CertitudeDbContext, CertificateFacts, long, long?, RecordedSource, string?, DateTimeOffset, CancellationToken)"/>
    /// for a certificate just issued, written with prepared SQL (<see cref="RowWriter"/>) in the caller's transaction:
    /// the certificate, its search keys and its source, with nothing read back but the new id. A certificate already
    /// stored, or a CA certificate (which may adopt stored orphans as their issuer), takes the general path.
    /// </summary>
    public static async Task<long> RecordIssuedAsync(CertitudeDbContext db, CertificateFacts facts, long divisionId, long? issuerCertificateId,
        RecordedSource source, string? owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = RowWriter.For(db);
        var find = rows.Command("inventory:find-fingerprint", () =>
        {
            var table = rows.Table<Certificate>();
            return $"SELECT 1 FROM \"{table.Name}\" WHERE {table.Column(nameof(Certificate.Sha256Fingerprint)).Quoted} = @p0";
        }, parameters: 1);
        find.Parameters[0].Value = facts.Sha256Fingerprint;
        var certificate = CertificateImporter.ToEntity(facts);
        if (certificate.IsCertificateAuthority || certificate.IsSelfSigned || await find.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return await RecordAsync(db, facts, divisionId, issuerCertificateId, source, owner, now, cancellationToken);
        }

        certificate.DivisionId = divisionId;
        certificate.IssuerCertificateId = issuerCertificateId;
        certificate.Owner = owner;
        certificate.CreatedAt = now;
        certificate.UpdatedAt = now;
        var id = await rows.InsertAsync(certificate, cancellationToken);
        certificate.SearchKeys.ForEach(key => key.CertificateId = id);
        await rows.InsertAllAsync(certificate.SearchKeys, cancellationToken);
        await rows.InsertAsync(new CertificateSource
        {
            CertificateId = id, Kind = source.Kind, Location = Limit(source.Location), Actor = source.Actor, FirstSeenAt = now, LastSeenAt = now,
        }, cancellationToken);
        return id;
    }

    private static string Limit(string location) => location.Length <= 2048 ? location : location[..2048];

    /// <summary>
    /// Records a chain as a server presented it (leaf first): every certificate with the same source, each linked to
    /// the next one when that one's key verifies its signature, the topmost to a stored issuer when one verifies.
    /// Certificates that cannot be parsed are skipped. Returns the leaf's inventory id (null when the leaf is unreadable).
    /// </summary>
    public static async Task<long?> RecordPresentedChainAsync(CertitudeDbContext db, IReadOnlyList<byte[]> chain, long divisionId,
        RecordedSource source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var facts = new CertificateFacts?[chain.Count];
        for (var i = 0; i < chain.Count; i++)
        {
            try
            {
                facts[i] = CertificateReader.ReadFacts(chain[i]);
            }
            catch (CertificateFormatException)
            {
                facts[i] = null;
            }
        }

        long? issuerId = null;
        using var check = new IssuerSignatureCheck();
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            if (facts[i] is not { } current)
            {
                issuerId = null;
                continue;
            }

            var presentedIssuer = i + 1 < chain.Count && issuerId is { } candidate && check.IsIssuedBy(chain[i], candidate, chain[i + 1]) ? issuerId : null;
            var id = await RecordAsync(db, current, divisionId, presentedIssuer, source, null, now, cancellationToken);
            if (presentedIssuer is null)
            {
                var stored = await db.Certificates.IgnoreQueryFilters().FirstAsync(c => c.Id == id, cancellationToken);
                if (stored.IssuerCertificateId is null && await CertificateChainBuilder.FindVerifiedIssuerAsync(db, stored, cancellationToken) is { } found)
                {
                    stored.IssuerCertificateId = found;
                    await db.SaveChangesAsync(cancellationToken);
                }
            }

            issuerId = id;
        }

        return facts.Length > 0 && facts[0] is not null ? issuerId : null;
    }
}
