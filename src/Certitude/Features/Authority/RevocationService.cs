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
    private readonly ConcurrentDictionary<string, OcspAuthority> _ocspAuthorities = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Answers an OCSP request (DER) for the CA; always a DER OCSPResponse, errors included (RFC 6960 §2.3). Requests
    /// without a nonce for one certificate the CA issued are answered from memory for up to
    /// <see cref="AuthorityOptions.OcspCacheSeconds"/> (the same bytes asked again get the same signed response), and
    /// the statuses behind them too; a revocation through this server clears its CA's entries at once
    /// (<see cref="RevocationsChanged"/>). Unknown serials are neither cached nor remembered.
    /// </summary>
    public async Task<byte[]> AnswerOcspAsync(string authorityName, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var cacheSeconds = options.Value.OcspCacheSeconds;
        var now = time.GetUtcNow();
        _ocspAuthorities.TryGetValue(authorityName, out var authority);
        if (authority is not null && cacheSeconds > 0 && authority.TryGetResponse(request.Span, now, out var cached))
        {
            return cached;
        }

        OcspRequestInfo parsed;
        try
        {
            parsed = OcspRequestReader.Read(request.Span);
        }
        catch (OcspFormatException)
        {
            return OcspResponses.Error(OcspResponseStatus.MalformedRequest);
        }

        authority ??= await LoadOcspAuthorityAsync(authorityName, cancellationToken);
        if (authority is null)
        {
            return OcspResponses.Error(OcspResponseStatus.Unauthorized);
        }

        // Read before the statuses: whatever a revocation commits after this point makes this answer's cache entry stale.
        var generation = authority.Generation;
        var nextUpdate = now.AddHours(options.Value.OcspValidityHours);
        var answers = new List<OcspSingleResponse>(parsed.Certificates.Count);
        CertitudeDbContext? db = null;
        try
        {
            foreach (var id in parsed.Certificates)
            {
                if (!id.IsIssuedBy(authority.Certificate))
                {
                    answers.Add(new OcspSingleResponse(id, OcspCertificateStatus.Unknown, null, null, now, nextUpdate));
                    continue;
                }

                var serial = Convert.ToHexStringLower(id.SerialNumber);
                if (cacheSeconds == 0 || !authority.TryGetStatus(serial, generation, now, out var status))
                {
                    db ??= await contexts.CreateDbContextAsync(cancellationToken);
                    status = await db.IssuedCertificates.AsNoTracking()
                        .Where(i => i.AuthorityId == authority.Id && i.SerialNumber == serial)
                        .Select(i => new OcspStatus(i.RevokedAt, i.RevocationReason))
                        .FirstOrDefaultAsync(cancellationToken);
                    if (status is not null && cacheSeconds > 0)
                    {
                        authority.RememberStatus(serial, status, generation, now.AddSeconds(cacheSeconds));
                    }
                }

                answers.Add(status switch
                {
                    null => new OcspSingleResponse(id, OcspCertificateStatus.Unknown, null, null, now, nextUpdate),
                    { RevokedAt: { } at } => new OcspSingleResponse(id, OcspCertificateStatus.Revoked, at, (X509RevocationReason?)status.Reason, now, nextUpdate),
                    _ => new OcspSingleResponse(id, OcspCertificateStatus.Good, null, null, now, nextUpdate),
                });
            }
        }
        finally
        {
            if (db is not null)
            {
                await db.DisposeAsync();
            }
        }

        var response = authority.Signer.Sign(answers, parsed.Nonce, now);
        if (cacheSeconds > 0 && parsed.Nonce is null && answers is [{ Status: not OcspCertificateStatus.Unknown }])
        {
            authority.RememberResponse(request.Span, response, generation, now.AddSeconds(cacheSeconds));
        }

        return response;
    }

    /// <summary>
    /// Revocations at these CAs were just committed: what this server remembers of their OCSP answers is dropped, so
    /// the next request reads the database. Called after the commit (an answer racing with it is discarded by generation).
    /// </summary>
    public void RevocationsChanged(IEnumerable<long> authorityIds)
    {
        var changed = authorityIds.ToHashSet();
        foreach (var authority in _ocspAuthorities.Values.Where(a => changed.Contains(a.Id)))
        {
            authority.Invalidate();
        }
    }

    /// <summary>The CA's OCSP state, kept for the process: its id, certificate and key never change under its name.</summary>
    private async Task<OcspAuthority?> LoadOcspAuthorityAsync(string authorityName, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.CertificateAuthorities.AsNoTracking().FirstOrDefaultAsync(a => a.Name == authorityName, cancellationToken);
        if (row?.KeyReference is null)
        {
            return null;
        }

        var signer = keys.SignerFor(row);
        return _ocspAuthorities.GetOrAdd(authorityName, _ => new OcspAuthority(row.Id, signer.Certificate,
            new OcspResponseSigner(signer.Certificate, signer.Key.CreateSignatureGenerator(), signer.Key.HashAlgorithm)));
    }

    private sealed record OcspStatus(DateTimeOffset? RevokedAt, int? Reason);

    /// <summary>
    /// One CA's responder: its signer, and what it remembers, each entry stamped with the generation it was read in and
    /// an expiry. <see cref="Invalidate"/> moves the generation on, which retires every older entry at once.
    /// </summary>
    private sealed class OcspAuthority(long id, X509Certificate2 certificate, OcspResponseSigner signer)
    {
        /// <summary>Bounds memory: past this many entries a map starts again empty (a cache, not a copy of the table).</summary>
        private const int MaxEntries = 200_000;

        private readonly ConcurrentDictionary<byte[], Remembered<byte[]>> _responses = new(RequestBytesComparer.Instance);
        private readonly ConcurrentDictionary<string, Remembered<OcspStatus>> _statuses = new(StringComparer.Ordinal);
        private long _generation;

        public long Id => id;
        public X509Certificate2 Certificate => certificate;
        public OcspResponseSigner Signer => signer;
        public long Generation => Interlocked.Read(ref _generation);

        public bool TryGetResponse(ReadOnlySpan<byte> request, DateTimeOffset now, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? response)
        {
            response = _responses.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(request, out var entry) && entry.IsCurrent(Generation, now) ? entry.Value : null;
            return response is not null;
        }

        public bool TryGetStatus(string serial, long generation, DateTimeOffset now, out OcspStatus? status)
        {
            status = _statuses.TryGetValue(serial, out var entry) && entry.IsCurrent(generation, now) ? entry.Value : null;
            return status is not null;
        }

        public void RememberResponse(ReadOnlySpan<byte> request, byte[] response, long generation, DateTimeOffset expires)
        {
            if (_responses.Count >= MaxEntries)
            {
                _responses.Clear();
            }

            _responses[request.ToArray()] = new Remembered<byte[]>(response, generation, expires);
        }

        public void RememberStatus(string serial, OcspStatus status, long generation, DateTimeOffset expires)
        {
            if (_statuses.Count >= MaxEntries)
            {
                _statuses.Clear();
            }

            _statuses[serial] = new Remembered<OcspStatus>(status, generation, expires);
        }

        public void Invalidate()
        {
            Interlocked.Increment(ref _generation);
            _responses.Clear();
            _statuses.Clear();
        }
    }

    private sealed record Remembered<T>(T Value, long Generation, DateTimeOffset Expires)
    {
        public bool IsCurrent(long generation, DateTimeOffset now) => Generation == generation && now < Expires;
    }

    /// <summary>Compares OCSP requests by their bytes; looks them up from a span without copying.</summary>
    private sealed class RequestBytesComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly RequestBytesComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
