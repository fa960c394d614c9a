using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Certitude.Data;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Inventory;

/// <summary>
/// Links certificates to their issuers inside the inventory. Candidates are found by key identifier
/// (AKI = issuer's SKI) or, without one, by name; a link is made only when the candidate's key verifies the
/// signature, so a look-alike CA with the same name never becomes someone's issuer. Signature checks are most of
/// an import's CPU time, so they run on every core, each thread loading a candidate's key once
/// (<see cref="IssuerSignatureCheck"/>).
/// </summary>
internal static class CertificateChainBuilder
{
    private const int MaxCandidates = 20;
    private const int MaxChildrenPerPass = 10_000;
    private const int ChecksPerWorkItem = 64;

    /// <summary>Certificates checked while the previous chunk is written: about as long to check as to write.</summary>
    private const int ChunkSize = 1024;

    /// <summary>
    /// Sets the issuer of new certificates before they are written (their ids are reserved): candidates are the
    /// certificates already stored and the new ones of the same batch, in id order, the first that verifies wins.
    /// Candidates are looked up for the whole batch first; signatures are then checked a chunk at a time, the next
    /// chunk on the worker threads while the caller writes the one just returned (with <paramref name="prepare"/>
    /// applied, also off the writing thread).
    /// </summary>
    /// <returns>The chunks, ready to write. The database is queried before this returns, never while the
    /// chunks are read (PostgreSQL's connection is busy with COPY then).</returns>
    public static async Task<IAsyncEnumerable<T>> LinkAsync<T>(CertitudeDbContext db, IReadOnlyList<Certificate> added,
        Func<IReadOnlyList<Certificate>, T> prepare, CancellationToken cancellationToken) =>
        CheckInChunksAsync(added, await FindCandidatesAsync(db, added, cancellationToken), prepare, cancellationToken);

    private static async IAsyncEnumerable<T> CheckInChunksAsync<T>(IReadOnlyList<Certificate> added, IssuerCandidate[][] candidates,
        Func<IReadOnlyList<Certificate>, T> prepare, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Task<T> Check(int start)
        {
            var end = Math.Min(start + ChunkSize, added.Count);
            return Task.Run(() =>
            {
                CheckInParallel(end - start, (i, check) =>
                {
                    var child = added[start + i];
                    child.IssuerCertificateId = candidates[start + i]
                        .FirstOrDefault(c => c.Id != child.Id && check.IsIssuedBy(child.Der, c.Id, c.Der))?.Id;
                }, cancellationToken);
                return prepare([.. added.Skip(start).Take(end - start)]);
            }, cancellationToken);
        }

        var next = added.Count > 0 ? Check(0) : null;
        try
        {
            for (var start = 0; next is not null; start += ChunkSize)
            {
                var current = await next;
                next = start + ChunkSize < added.Count ? Check(start + ChunkSize) : null;
                yield return current;
            }
        }
        finally
        {
            // When the writer gives up (a failed batch is retried file by file), no check may still be setting
            // links on the certificates the retry prepares again.
            if (next is not null)
            {
                await next.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Issuer candidates of each new certificate (none for self-signed ones), by position.</summary>
    private static async Task<IssuerCandidate[][]> FindCandidatesAsync(CertitudeDbContext db, IReadOnlyList<Certificate> added, CancellationToken cancellationToken)
    {
        var arrivingBySubject = added.ToLookup(c => c.SubjectHash, StringComparer.Ordinal);
        // Certificates of one batch often share an issuer: look each issuer up once per batch.
        var candidatesByIssuer = new Dictionary<(string IssuerHash, string? Aki), IssuerCandidate[]>();
        var result = new IssuerCandidate[added.Count][];
        for (var i = 0; i < added.Count; i++)
        {
            var certificate = added[i];
            if (certificate.IsSelfSigned)
            {
                result[i] = [];
                continue;
            }

            var key = (certificate.IssuerHash, certificate.AuthorityKeyIdentifier);
            if (!candidatesByIssuer.TryGetValue(key, out var candidates))
            {
                var stored = await FindIssuerCandidatesAsync(db, key.IssuerHash, key.AuthorityKeyIdentifier, cancellationToken);
                var arriving = arrivingBySubject[key.IssuerHash]
                    .Where(c => key.AuthorityKeyIdentifier is null || c.SubjectKeyIdentifier == key.AuthorityKeyIdentifier)
                    .Select(c => new IssuerCandidate(c.Id, c.Der));
                candidates = [.. stored.Concat(arriving).OrderBy(c => c.Id).Take(MaxCandidates)];
                candidatesByIssuer[key] = candidates;
            }

            result[i] = candidates;
        }

        return result;
    }

    /// <summary>
    /// Links stored certificates whose issuer just arrived (run after the batch is written). Children of the same
    /// batch were offered this issuer by <see cref="LinkAsync"/> already.
    /// </summary>
    public static async Task AdoptOrphansAsync(CertitudeDbContext db, IReadOnlyList<Certificate> added, CancellationToken cancellationToken)
    {
        var addedIds = added.Select(c => c.Id).ToHashSet();
        foreach (var issuer in added.Where(a => a.IsCertificateAuthority || a.IsSelfSigned))
        {
            // Orphans are read in keyset pages so that memory stays bounded however many wait for this issuer.
            for (var after = 0L; ;)
            {
                var page = await OrphansAsync(db, issuer, after, cancellationToken);
                var orphans = page.Where(r => !addedIds.Contains(r.Id)).ToList();
                var verified = new bool[orphans.Count];
                CheckInParallel(orphans.Count, (i, check) => verified[i] = check.IsIssuedBy(orphans[i].Der, issuer.Id, issuer.Der), cancellationToken);
                var linked = orphans.Where((_, i) => verified[i]).Select(o => o.Id).ToList();
                foreach (var chunk in linked.Chunk(500))
                {
                    await db.Certificates.IgnoreQueryFilters().Where(c => chunk.Contains(c.Id) && c.IssuerCertificateId == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(c => c.IssuerCertificateId, issuer.Id), cancellationToken);
                }

                if (page.Count < MaxChildrenPerPass)
                {
                    break;
                }

                after = page[^1].Id;
            }
        }
    }

    /// <summary>The stored issuer of one certificate (candidates by name and key identifier, verified by signature); null when none.</summary>
    public static async Task<long?> FindVerifiedIssuerAsync(CertitudeDbContext db, Certificate child, CancellationToken cancellationToken)
    {
        if (child.IsSelfSigned)
        {
            return null;
        }

        var candidates = await FindIssuerCandidatesAsync(db, child.IssuerHash, child.AuthorityKeyIdentifier, cancellationToken);
        using var check = new IssuerSignatureCheck();
        return candidates.FirstOrDefault(c => c.Id != child.Id && check.IsIssuedBy(child.Der, c.Id, c.Der))?.Id;
    }

    private static async Task<List<IssuerCandidate>> FindIssuerCandidatesAsync(CertitudeDbContext db, string issuerHash, string? aki, CancellationToken cancellationToken)
    {
        var candidates = db.Certificates.IgnoreQueryFilters().Where(c => c.SubjectHash == issuerHash);
        if (aki is not null)
        {
            candidates = candidates.Where(c => c.SubjectKeyIdentifier == aki);
        }

        return await candidates.OrderBy(c => c.Id).Select(c => new IssuerCandidate(c.Id, c.Der)).Take(MaxCandidates).ToListAsync(cancellationToken);
    }

    private static async Task<List<IssuerCandidate>> OrphansAsync(CertitudeDbContext db, Certificate issuer, long after, CancellationToken cancellationToken)
    {
        var orphans = db.Certificates.IgnoreQueryFilters()
            .Where(c => c.IssuerCertificateId == null && !c.IsSelfSigned && c.IssuerHash == issuer.SubjectHash && c.Id != issuer.Id && c.Id > after);
        if (issuer.SubjectKeyIdentifier is { } ski)
        {
            orphans = orphans.Where(c => c.AuthorityKeyIdentifier == ski || c.AuthorityKeyIdentifier == null);
        }

        return await orphans.OrderBy(c => c.Id).Select(c => new IssuerCandidate(c.Id, c.Der)).Take(MaxChildrenPerPass).ToListAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="count"/> signature checks on every core, one <see cref="IssuerSignatureCheck"/> per worker.</summary>
    private static void CheckInParallel(int count, Action<int, IssuerSignatureCheck> check, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        Parallel.ForEach(Partitioner.Create(0, count, ChecksPerWorkItem), new ParallelOptions { CancellationToken = cancellationToken },
            () => new IssuerSignatureCheck(),
            (range, _, worker) =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    check(i, worker);
                }

                return worker;
            },
            worker => worker.Dispose());
    }

    private sealed record IssuerCandidate(long Id, byte[] Der);
}
