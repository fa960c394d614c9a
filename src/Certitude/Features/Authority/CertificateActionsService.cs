using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Authority.Connectors;
using Certitude.Features.Authority.Keys;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Certitude.Pki;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Authority;

/// <summary>
/// What can be done with a certificate once it exists: download it (any inventory certificate, with its chain),
/// and for the ones Certitude's CAs issued, renew, reissue and revoke.
/// </summary>
public sealed class CertificateActionsService(
    IDbContextFactory<CertitudeDbContext> contexts,
    RequestService requests,
    RevocationService revocation,
    IEnumerable<ICaConnector> connectors,
    CaKeyRing keys,
    AccessService access,
    AuditLog audit,
    TimeProvider time)
{
    /// <summary>The file to hand out: content, media type and a file name.</summary>
    public async Task<DownloadedFile> DownloadAsync(AccessScope scope, long certificateId, CertificateFormat format, string? password, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var certificate = await ReadableCertificateAsync(db, scope, certificateId, cancellationToken);
        var chain = await ChainAsync(db, certificate, cancellationToken);
        var intermediates = chain.Where(c => !c.IsSelfSigned).ToList();
        var name = FileNameFor(certificate);
        switch (format)
        {
            case CertificateFormat.Pem:
                return new DownloadedFile(Encoding.ASCII.GetBytes(Pem(certificate.Der)), "application/x-pem-file", $"{name}.pem");
            case CertificateFormat.Chain:
                return new DownloadedFile(Encoding.ASCII.GetBytes(string.Concat(intermediates.Select(c => Pem(c.Der)))), "application/x-pem-file", $"{name}.chain.pem");
            case CertificateFormat.FullChain:
                return new DownloadedFile(Encoding.ASCII.GetBytes(Pem(certificate.Der) + string.Concat(intermediates.Select(c => Pem(c.Der)))), "application/x-pem-file", $"{name}.fullchain.pem");
            case CertificateFormat.Der:
                return new DownloadedFile(certificate.Der, "application/pkix-cert", $"{name}.cer");
            case CertificateFormat.P7b:
                var collection = new X509Certificate2Collection();
                foreach (var der in chain.Select(c => c.Der).Prepend(certificate.Der))
                {
                    collection.Add(X509CertificateLoader.LoadCertificate(der));
                }

                return new DownloadedFile(collection.Export(X509ContentType.Pkcs7)!, "application/x-pkcs7-certificates", $"{name}.p7b");
            case CertificateFormat.Pfx:
                return await PfxAsync(db, scope, certificate, intermediates, password, name, cancellationToken);
            default:
                throw new DomainValidationException("format", "format is one of pem, chain, fullchain, der, p7b, pfx.");
        }
    }

    /// <summary>
    /// PKCS#12 with the server-generated key: once per authorized user (each download is recorded and audited), under
    /// the password they choose, encrypted with AES-256 (PBES2) rather than the legacy 3DES/RC2 defaults.
    /// </summary>
    private async Task<DownloadedFile> PfxAsync(CertitudeDbContext db, AccessScope scope, CertificateRow certificate, List<CertificateRow> intermediates,
        string? password, string name, CancellationToken cancellationToken)
    {
        scope.DemandNotReadOnly();
        if (password is null || password.Length < AuthorityLimits.MinPfxPasswordLength || password.Length > AuthorityLimits.MaxPfxPasswordLength)
        {
            throw new DomainValidationException("password", $"A PKCS#12 file needs a password of {AuthorityLimits.MinPfxPasswordLength} to {AuthorityLimits.MaxPfxPasswordLength} characters.");
        }

        var request = await db.CertificateRequests.FirstOrDefaultAsync(r => r.CertificateId == certificate.Id, cancellationToken);
        if (request?.PrivateKeyReference is not { } reference)
        {
            throw new ConflictException("Certitude does not hold this certificate's private key (it was requested with a CSR): PKCS#12 is not available; download PEM instead.");
        }

        if (!scope.CanEditCertificate(certificate.DivisionId, certificate.Owner) && scope.UserId != request.RequesterId)
        {
            throw new ForbiddenException("Only the certificate's owner, its requester and the division's managers may download its private key.");
        }

        var userKey = scope.UserId ?? scope.Actor.Name;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Take the request's row for this transaction (PostgreSQL row lock; SQLite holds the write lock already): the
        // same person asking several times at once is answered one after the other, each later one with the conflict
        // below instead of a failed insert into the unique index (a 500).
        await db.CertificateRequests.Where(r => r.Id == request.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Version, r => r.Version), cancellationToken);
        if (await db.KeyDownloads.AnyAsync(k => k.RequestId == request.Id && k.UserKey == userKey, cancellationToken))
        {
            throw new ConflictException("You downloaded this private key already; each authorized person gets it once. Reissue with a new key if it was lost.");
        }

        db.KeyDownloads.Add(new KeyDownload { RequestId = request.Id, UserKey = userKey, DownloadedAt = time.GetUtcNow() });
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("certificate.key-download", "certificate", certificate.Id.ToString(CultureInfo.InvariantCulture),
            certificate.DivisionId, new { request = request.Id, format = "pfx" }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        byte[] pfx;
        using (var key = keys.DefaultStore.Open(reference, RequestService.SubscriberKeyPurpose(request.PublicKey)))
        using (var leaf = X509CertificateLoader.LoadCertificate(certificate.Der))
        using (var withKey = key.AttachTo(leaf))
        {
            var collection = new X509Certificate2Collection { withKey };
            foreach (var intermediate in intermediates)
            {
                collection.Add(X509CertificateLoader.LoadCertificate(intermediate.Der));
            }

            pfx = collection.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        }

        // Recorded before it is handed out: a failure after this point costs the user their one download, never
        // gives a second one unrecorded.
        await transaction.CommitAsync(cancellationToken);
        return new DownloadedFile(pfx, "application/x-pkcs12", $"{name}.pfx");
    }

    public async Task<IssuedCertificateInfo?> IssuedInfoAsync(AccessScope scope, long certificateId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await ReadableCertificateAsync(db, scope, certificateId, cancellationToken);
        var issued = await db.IssuedCertificates.AsNoTracking().FirstOrDefaultAsync(i => i.CertificateId == certificateId, cancellationToken);
        if (issued is null)
        {
            return null;
        }

        var authority = await db.CertificateAuthorities.Where(a => a.Id == issued.AuthorityId).Select(a => a.Name).FirstAsync(cancellationToken);
        var serverKey = issued.RequestId is { } requestId && await db.CertificateRequests.AnyAsync(r => r.Id == requestId && r.PrivateKeyReference != null, cancellationToken);
        return new IssuedCertificateInfo(certificateId, authority, issued.SerialNumber, issued.RequestId, serverKey, issued.RevokedAt, (RevocationReason?)issued.RevocationReason);
    }

    /// <summary>A new certificate for the same names with a new validity period (and a new key if asked); the old one stays valid.</summary>
    public Task<RequestDto> RenewAsync(AccessScope scope, long certificateId, ReplaceCertificateInput input, CancellationToken cancellationToken) =>
        ReplaceAsync(scope, certificateId, RequestKind.Renewal, input, cancellationToken);

    /// <summary>The same order with other names or another key; the new certificate ends when the old one does.</summary>
    public Task<RequestDto> ReissueAsync(AccessScope scope, long certificateId, ReplaceCertificateInput input, CancellationToken cancellationToken) =>
        ReplaceAsync(scope, certificateId, RequestKind.Reissue, input, cancellationToken);

    private async Task<RequestDto> ReplaceAsync(AccessScope scope, long certificateId, RequestKind kind, ReplaceCertificateInput input, CancellationToken cancellationToken)
    {
        scope.DemandNotReadOnly();
        CertificateRequestRecord original;
        Certificate certificate;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var row = await ReadableCertificateAsync(db, scope, certificateId, cancellationToken);
            if (!scope.CanEditCertificate(row.DivisionId, row.Owner))
            {
                throw new ForbiddenException("Only the certificate's owner and the division's managers renew or reissue it.");
            }

            certificate = await db.Certificates.AsNoTracking().FirstAsync(c => c.Id == certificateId, cancellationToken);
            original = await db.CertificateRequests.AsNoTracking().FirstOrDefaultAsync(r => r.CertificateId == certificateId, cancellationToken)
                ?? throw new ConflictException("This certificate was not issued through Certitude: renew it where it came from, or request a new one.");
        }

        if (kind == RequestKind.Reissue && certificate.NotAfter <= time.GetUtcNow())
        {
            throw new ConflictException("This certificate has expired: renew it instead of reissuing (a reissue keeps the end date).");
        }

        if (kind == RequestKind.Renewal && (input.DnsNames is not null || input.IpAddresses is not null))
        {
            throw new DomainValidationException("dnsNames", "A renewal keeps the names; reissue to change them.");
        }

        var csr = input.Csr is { Length: > 0 } text ? RequestService.ReadCsr(text) : null;
        var kept = new SubjectKey(original.PublicKey,
            new PublicKeyDescription(certificate.PublicKeyAlgorithm, certificate.PublicKeySize, certificate.PublicKeyCurve), false, null, original.PrivateKeyReference);
        var key = await requests.ResolveKeyAsync(csr, input.GenerateKey, kept, cancellationToken);
        var names = input.DnsNames is not null || input.IpAddresses is not null
            ? RequestService.ParseNames(input.DnsNames, input.IpAddresses).ToList()
            : original.Names.Select(RequestService.ParseStoredName).ToList();
        var draft = new RequestDraft
        {
            DivisionId = certificate.DivisionId,
            Kind = kind,
            AuthorityId = original.AuthorityId,
            Profile = original.Profile,
            ReplacesCertificateId = certificateId,
            // A reissue with new names takes its common name from them; otherwise the certificate keeps its own.
            CommonName = input.DnsNames is { Count: > 0 } dns ? dns[0] : original.CommonName,
            Names = names,
            ValidityDays = kind == RequestKind.Renewal ? input.ValidityDays ?? original.ValidityDays : null,
            NotAfter = kind == RequestKind.Reissue ? certificate.NotAfter : null,
            Key = key,
            Owner = certificate.Owner ?? original.Owner,
            Comments = input.Comments ?? $"{kind} of certificate {certificateId}",
        };
        return await requests.SubmitAsync(scope, await access.TreeAsync(cancellationToken), draft, cancellationToken);
    }

    /// <summary>
    /// Revokes a certificate Certitude issued (RFC 5280 reason). A key compromise revokes every certificate issued
    /// for the same key, whoever holds them: the key is no longer the subscriber's alone. Each affected CA publishes
    /// a new CRL in the same transaction.
    /// </summary>
    public async Task<IssuedCertificateInfo> RevokeAsync(AccessScope scope, long certificateId, RevocationReason reason, CancellationToken cancellationToken)
    {
        scope.DemandNotReadOnly();
        if (!Enum.IsDefined(reason))
        {
            throw new DomainValidationException("reason", "Unknown revocation reason.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await ReadableCertificateAsync(db, scope, certificateId, cancellationToken);
        var issued = await db.IssuedCertificates.FirstOrDefaultAsync(i => i.CertificateId == certificateId, cancellationToken)
            ?? throw new ConflictException("This certificate was not issued by one of Certitude's CAs: revoke it at its CA.");
        var requesterId = issued.RequestId is { } requestId
            ? await db.CertificateRequests.Where(r => r.Id == requestId).Select(r => r.RequesterId).FirstOrDefaultAsync(cancellationToken)
            : null;
        if (!scope.CanEditCertificate(row.DivisionId, row.Owner) && !(scope.UserId is not null && scope.UserId == requesterId && scope.CanContribute(row.DivisionId)))
        {
            throw new ForbiddenException("Only the certificate's owner and the division's managers and administrators revoke it.");
        }

        if (issued.RevokedAt is not null)
        {
            throw new ConflictException($"This certificate was revoked on {issued.RevokedAt:yyyy-MM-dd HH:mm} UTC.");
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Take the certificate's row and read it afresh: of two revocations at once, the second sees the first. A
        // revocation is final; its date and reason, already in a published CRL, never change afterwards.
        await db.IssuedCertificates.Where(i => i.Id == issued.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, i => i.RevokedAt), cancellationToken);
        await db.Entry(issued).ReloadAsync(cancellationToken);
        if (issued.RevokedAt is not null)
        {
            throw new ConflictException($"This certificate was revoked on {issued.RevokedAt:yyyy-MM-dd HH:mm} UTC.");
        }

        var affected = new List<IssuedCertificate> { issued };
        if (reason == RevocationReason.KeyCompromise)
        {
            affected.AddRange(await db.IssuedCertificates
                .Where(i => i.SpkiSha256 == issued.SpkiSha256 && i.Id != issued.Id && i.RevokedAt == null)
                .ToListAsync(cancellationToken));
        }

        foreach (var item in affected)
        {
            item.RevokedAt = now;
            item.RevocationReason = (int)reason;
            await audit.AppendAsync(db, scope.Actor, new AuditRecord("certificate.revoke", "certificate", item.CertificateId.ToString(CultureInfo.InvariantCulture),
                item.CertificateId == certificateId ? row.DivisionId : null,
                new { serial = item.SerialNumber, reason = reason.ToString(), sameKeyAs = item.Id == issued.Id ? (long?)null : certificateId }), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var authorityId in affected.Select(i => i.AuthorityId).Distinct())
        {
            var authority = await db.CertificateAuthorities.FirstAsync(a => a.Id == authorityId, cancellationToken);
            foreach (var item in affected.Where(i => i.AuthorityId == authorityId))
            {
                await (connectors.FirstOrDefault(c => c.Key == authority.Connector)?.RevokeAsync(authority, item, cancellationToken) ?? Task.CompletedTask);
            }

            await revocation.PublishCrlAsync(db, authority, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        revocation.RevocationsChanged(affected.Select(i => i.AuthorityId));
        var authorityName = await db.CertificateAuthorities.Where(a => a.Id == issued.AuthorityId).Select(a => a.Name).FirstAsync(cancellationToken);
        return new IssuedCertificateInfo(certificateId, authorityName, issued.SerialNumber, issued.RequestId, false, now, reason);
    }

    private static async Task<CertificateRow> ReadableCertificateAsync(CertitudeDbContext db, AccessScope scope, long id, CancellationToken cancellationToken)
    {
        var row = await db.Certificates.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new CertificateRow(c.Id, c.DivisionId, c.Owner, c.SubjectCommonName, c.Der, c.IsSelfSigned, c.IssuerCertificateId))
            .FirstOrDefaultAsync(cancellationToken);
        return row is not null && scope.CanRead(row.DivisionId) ? row : throw new NotFoundException($"No certificate {id}.");
    }

    /// <summary>The issuers above a certificate as the inventory linked them (verified by signature), up to a root.</summary>
    private static async Task<List<CertificateRow>> ChainAsync(CertitudeDbContext db, CertificateRow leaf, CancellationToken cancellationToken)
    {
        var chain = new List<CertificateRow>();
        var seen = new HashSet<long> { leaf.Id };
        for (var next = leaf.IsSelfSigned ? null : leaf.IssuerCertificateId; next is { } id && seen.Add(id) && chain.Count < 10;)
        {
            var issuer = await db.Certificates.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == id)
                .Select(c => new CertificateRow(c.Id, c.DivisionId, c.Owner, c.SubjectCommonName, c.Der, c.IsSelfSigned, c.IssuerCertificateId))
                .FirstOrDefaultAsync(cancellationToken);
            if (issuer is null)
            {
                break;
            }

            chain.Add(issuer);
            next = issuer.IsSelfSigned ? null : issuer.IssuerCertificateId;
        }

        return chain;
    }

    private static string Pem(byte[] der) => PemEncoding.WriteString("CERTIFICATE", der) + "\n";

    private static string FileNameFor(CertificateRow certificate)
    {
        var name = new string((certificate.CommonName ?? "").Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray()).Trim('.', '_');
        return name.Length == 0 ? $"certificate-{certificate.Id}" : name.Replace("*", "wildcard", StringComparison.Ordinal);
    }

    private sealed record CertificateRow(long Id, long DivisionId, string? Owner, string? CommonName, byte[] Der, bool IsSelfSigned, long? IssuerCertificateId);
}
