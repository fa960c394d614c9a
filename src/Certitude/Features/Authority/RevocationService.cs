using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Certitude.Data;
using Certitude.Features.Authority.Keys;
using Certitude.Hosting;
using Certitude.Pki.Issuance;
using Certitude.Pki.Ocsp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Authority;

/// <summary>
/// Publishes what Certitude's CAs revoked: a CRL per CA (RFC 5280 §5), regenerated on every revocation and before
/// its nextUpdate, and OCSP answers (RFC 6960) from the same table of issued certificates.
/// </summary>
public sealed class RevocationService(
    IDbContextFactory<CertitudeDbContext> contexts,
    CaKeyRing keys,
    IOptions<AuthorityOptions> options,
    TimeProvider time)
{
    private readonly ConcurrentDictionary<long, OcspResponseSigner> _ocspSigners = new();

    private TimeSpan CrlValidity => TimeSpan.FromHours(options.Value.CrlValidityHours);

    /// <summary>The CA's current CRL (DER); a new one first when the stored one is past half its validity.</summary>
    public async Task<byte[]> CurrentCrlAsync(string authorityName, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var authority = await db.CertificateAuthorities.FirstOrDefaultAsync(a => a.Name == authorityName, cancellationToken)
            ?? throw new NotFoundException($"No CA named '{authorityName}'.");
        var now = time.GetUtcNow();
        if (authority.CrlDer is { } crl && !IsDue(authority, now))
        {
            return crl;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await PublishCrlAsync(db, authority, now, cancellationToken, onlyWhenDue: true);
        await transaction.CommitAsync(cancellationToken);
        return authority.CrlDer!;
    }

    /// <summary>CAs whose CRL is due (past half its validity), for the scheduled publisher.</summary>
    public async Task<int> RefreshDueCrlsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var refreshed = 0;
        foreach (var authority in await db.CertificateAuthorities.Where(a => a.KeyReference != null).ToListAsync(cancellationToken))
        {
            if (IsDue(authority, now))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await PublishCrlAsync(db, authority, now, cancellationToken, onlyWhenDue: true);
                await transaction.CommitAsync(cancellationToken);
                refreshed++;
            }
        }

        return refreshed;
    }

    private bool IsDue(CertificateAuthority authority, DateTimeOffset now) =>
        authority.CrlDer is null || authority.CrlNextUpdate is not { } next || next - now < CrlValidity / 2;

    /// <summary>Signs a new CRL for the CA inside the caller's transaction (revocations commit with their CRL);
    /// with <paramref name="onlyWhenDue"/>, not when another publisher made a fresh one meanwhile.</summary>
    internal async Task PublishCrlAsync(CertitudeDbContext db, CertificateAuthority authority, DateTimeOffset now, CancellationToken cancellationToken,
        bool onlyWhenDue = false)
    {
        if (authority.KeyReference is null)
        {
            return;
        }

        // Take the CA's row for this transaction and read it afresh (PostgreSQL locks the row; SQLite holds the write
        // lock already, but the caller may have read the row before its transaction began). Publishers at the same
        // moment — a revocation, a fetch of a due CRL, the job on every node — then run one after the other: CRL
        // numbers only increase, and the CRL stored last lists every revocation committed before it.
        await db.CertificateAuthorities.Where(a => a.Id == authority.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.CrlNumber, a => a.CrlNumber), cancellationToken);
        await db.Entry(authority).ReloadAsync(cancellationToken);
        if (onlyWhenDue && !IsDue(authority, now))
        {
            return;
        }

        // Entries stay until the certificate expires (RFC 5280 §5: an expired certificate may leave the list).
        var revoked = await db.IssuedCertificates.AsNoTracking()
            .Where(i => i.AuthorityId == authority.Id && i.RevokedAt != null && i.NotAfter > now)
            .Select(i => new { i.SerialNumber, i.RevokedAt, i.RevocationReason })
            .ToListAsync(cancellationToken);
        var signer = keys.SignerFor(authority);
        authority.CrlNumber++;
        var nextUpdate = now + CrlValidity;
        authority.CrlDer = RevocationListBuilder.Build(signer.Certificate, signer.Key,
            revoked.Select(r => new RevokedEntry(Convert.FromHexString(r.SerialNumber), r.RevokedAt!.Value, (X509RevocationReason?)r.RevocationReason)),
            new BigInteger(authority.CrlNumber), now, nextUpdate);
        authority.CrlNextUpdate = nextUpdate;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Answers an OCSP request (DER) for the CA; always a DER OCSPResponse, errors included (RFC 6960 §2.3).</summary>
    public async Task<byte[]> AnswerOcspAsync(string authorityName, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        OcspRequestInfo parsed;
        try
        {
            parsed = OcspRequestReader.Read(request.Span);
        }
        catch (OcspFormatException)
        {
            return OcspResponses.Error(OcspResponseStatus.MalformedRequest);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var authority = await db.CertificateAuthorities.AsNoTracking().FirstOrDefaultAsync(a => a.Name == authorityName, cancellationToken);
        if (authority?.KeyReference is null)
        {
            return OcspResponses.Error(OcspResponseStatus.Unauthorized);
        }

        var signer = keys.SignerFor(authority);
        var now = time.GetUtcNow();
        var nextUpdate = now.AddHours(options.Value.OcspValidityHours);
        var answers = new List<OcspSingleResponse>(parsed.Certificates.Count);
        foreach (var id in parsed.Certificates)
        {
            if (!id.IsIssuedBy(signer.Certificate))
            {
                answers.Add(new OcspSingleResponse(id, OcspCertificateStatus.Unknown, null, null, now, nextUpdate));
                continue;
            }

            var serial = Convert.ToHexStringLower(id.SerialNumber);
            var issued = await db.IssuedCertificates.AsNoTracking()
                .Where(i => i.AuthorityId == authority.Id && i.SerialNumber == serial)
                .Select(i => new { i.RevokedAt, i.RevocationReason })
                .FirstOrDefaultAsync(cancellationToken);
            answers.Add(issued switch
            {
                null => new OcspSingleResponse(id, OcspCertificateStatus.Unknown, null, null, now, nextUpdate),
                { RevokedAt: { } at } => new OcspSingleResponse(id, OcspCertificateStatus.Revoked, at, (X509RevocationReason?)issued.RevocationReason, now, nextUpdate),
                _ => new OcspSingleResponse(id, OcspCertificateStatus.Good, null, null, now, nextUpdate),
            });
        }

        var responder = _ocspSigners.GetOrAdd(authority.Id, _ => new OcspResponseSigner(signer.Certificate, signer.Key.CreateSignatureGenerator(), signer.Key.HashAlgorithm));
        return responder.Sign(answers, parsed.Nonce, now);
    }
}
