using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Certitude.Tls.Targets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Discovery;

/// <summary>
/// Scan runs and their chunks: queueing a run, leasing chunks to scanners (the server or agents of a zone), taking
/// their results, and closing the run with its change detection once every chunk is done. Leases live in the
/// database, so any number of server nodes and agents share the queue and a dead scanner's chunk goes back to it.
/// </summary>
public sealed class ScanRunService(
    IDbContextFactory<CertitudeDbContext> contexts,
    DiscoveryIngestor ingestor,
    ScanWorkSignal signal,
    AuditLog audit,
    IOptions<DiscoveryOptions> options,
    TimeProvider time)
{
    internal const string UploadTrigger = "upload";

    private DiscoveryOptions Options => options.Value;

    /// <summary>Queues a run over the given targets (already checked), split into chunks for the zone.</summary>
    internal async Task<ScanRun> QueueAsync(CertitudeDbContext db, ScanTargets parsed, ScanRunSpec spec, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var uploaded = spec.Trigger == UploadTrigger;

        // An uploaded run was scanned elsewhere: one chunk holding all its targets, done already.
        var chunks = uploaded ? [[.. spec.Targets]] : ScanPlanner.Split(parsed, Options.AddressesPerChunk, Options.HostNamesPerChunk);
        var run = new ScanRun
        {
            DefinitionId = spec.DefinitionId, DivisionId = spec.DivisionId, Zone = spec.Zone, Trigger = spec.Trigger, RequestedBy = spec.RequestedBy,
            State = ScanRunState.Queued, Targets = [.. spec.Targets], Ports = spec.Ports, Exclusions = [.. spec.Exclusions], CreatedAt = now,
            ChunkCount = chunks.Count, TotalEndpoints = ScanPlanner.EstimateEndpoints(parsed),
        };

        // Exclusions can remove every address: nothing to scan, nothing to wait for.
        if (chunks.Count == 0)
        {
            run.State = ScanRunState.Completed;
            run.StartedAt = now;
            run.FinishedAt = now;
        }

        db.ScanRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        db.ScanChunks.AddRange(chunks.Select((targets, i) => new ScanChunk
        {
            RunId = run.Id, Sequence = i, Zone = spec.Zone, Targets = targets,
            State = uploaded ? ScanChunkState.Done : ScanChunkState.Pending,
            DoneAt = uploaded ? now : null,
            ProbedEndpoints = uploaded ? run.TotalEndpoints : 0,
        }));
        await db.SaveChangesAsync(cancellationToken);
        if (spec.Zone is null && !uploaded)
        {
            signal.Notify();
        }

        return run;
    }

    /// <summary>
    /// Records a scan run elsewhere (<c>certitude scan --server</c>) as a finished run over its targets: the targets
    /// pass the same checks as a saved scan's, and endpoints inside them that did not answer count as gone.
    /// </summary>
    public async Task<ScanRunDto> UploadAsync(AccessScope access, ScanUploadInput input, CancellationToken cancellationToken)
    {
        if (input.Results is null || input.Results.Count > DiscoveryLimits.MaxResultsPerUpload)
        {
            throw new DomainValidationException("results", $"Give the results (at most {DiscoveryLimits.MaxResultsPerUpload} per upload).");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var divisionId = input.DivisionId ?? await db.Divisions.Where(d => d.ParentId == null).Select(d => d.Id).FirstAsync(cancellationToken);
        if (!await db.Divisions.AnyAsync(d => d.Id == divisionId, cancellationToken) || !access.CanRead(divisionId))
        {
            throw new NotFoundException($"Division {divisionId} not found.");
        }

        if (!access.CanContribute(divisionId))
        {
            throw new ForbiddenException("Uploading scan results needs the user role or above in the division.");
        }

        var parsed = ScanTargetRules.Check(input.Targets, input.Ports, input.Exclusions, await DiscoverySettingsService.LoadAsync(db, cancellationToken));
        ScanRun run;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            run = await QueueAsync(db, parsed, new ScanRunSpec(null, divisionId, null, UploadTrigger, access.Actor.Name, input.Targets,
                string.IsNullOrWhiteSpace(input.Ports) ? null : input.Ports, input.Exclusions ?? []), cancellationToken);
            await audit.AppendAsync(db, access.Actor, new AuditRecord("discovery.run.upload", "scan-run", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                divisionId, new { run.Targets, Results = input.Results.Count }), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await ingestor.IngestAsync(run, parsed, input.Results, cancellationToken);
        await CloseRunIfDoneAsync(run.Id, cancellationToken);
        return await GetAsync(access, run.Id, cancellationToken);
    }

    public async Task<IReadOnlyList<ScanRunDto>> ListAsync(AccessScope access, long? definitionId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var readable = access.ReadableDivisions;
        var query = db.ScanRuns.AsNoTracking().Where(r => readable == null || readable.Contains(r.DivisionId));
        if (definitionId is { } id)
        {
            query = query.Where(r => r.DefinitionId == id);
        }

        var runs = await query.OrderByDescending(r => r.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        return await ToDtosAsync(db, runs, cancellationToken);
    }

    public async Task<ScanRunDto> GetAsync(AccessScope access, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.ScanRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null || !access.CanRead(run.DivisionId))
        {
            throw new NotFoundException($"Scan run {id} not found.");
        }

        return (await ToDtosAsync(db, [run], cancellationToken))[0];
    }

    public async Task<ScanRunDto> CancelAsync(AccessScope access, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.ScanRuns.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null || !access.CanRead(run.DivisionId))
        {
            throw new NotFoundException($"Scan run {id} not found.");
        }

        if (!access.CanManage(run.DivisionId))
        {
            throw new ForbiddenException("Only the division's managers and administrators may cancel its scans.");
        }

        if (run.State is ScanRunState.Queued or ScanRunState.Running)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            run.State = ScanRunState.Cancelled;
            run.FinishedAt = time.GetUtcNow();
            await db.ScanChunks.Where(c => c.RunId == id && c.State != ScanChunkState.Done)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, ScanChunkState.Done).SetProperty(c => c.LeaseToken, (Guid?)null), cancellationToken);
            await audit.AppendAsync(db, access.Actor, new AuditRecord("discovery.run.cancel", "scan-run", id.ToString(System.Globalization.CultureInfo.InvariantCulture), run.DivisionId), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return (await ToDtosAsync(db, [run], cancellationToken))[0];
    }

    /// <summary>
    /// Leases the oldest free chunk of the zone (null: the server's own) to <paramref name="holder"/>: a pending chunk,
    /// or a leased one whose lease ran out (its holder died or lost the network). Null when there is no work.
    /// </summary>
    public async Task<ChunkLeaseDto?> LeaseAsync(string? zone, string holder, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var now = time.GetUtcNow();
            var candidate = await db.ScanChunks.AsNoTracking()
                .Where(c => c.Zone == zone && (c.State == ScanChunkState.Pending || (c.State == ScanChunkState.Leased && c.LeaseExpiresAt < now)))
                .OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.RunId, c.LeaseToken, c.Targets })
                .FirstOrDefaultAsync(cancellationToken);
            if (candidate is null)
            {
                return null;
            }

            // The update only succeeds if nobody leased the chunk since it was read (its token is unchanged): the
            // compare-and-set that lets several nodes and agents share the queue without locks.
            var token = Guid.NewGuid();
            var expires = now.AddSeconds(Options.LeaseSeconds);
            var taken = await db.ScanChunks
                .Where(c => c.Id == candidate.Id && c.LeaseToken == candidate.LeaseToken && c.State != ScanChunkState.Done)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.State, ScanChunkState.Leased)
                    .SetProperty(c => c.LeaseToken, token)
                    .SetProperty(c => c.LeaseHolder, holder)
                    .SetProperty(c => c.LeaseExpiresAt, expires)
                    .SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken);
            if (taken == 0)
            {
                continue;
            }

            await db.ScanRuns.Where(r => r.Id == candidate.RunId && r.State == ScanRunState.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, ScanRunState.Running).SetProperty(r => r.StartedAt, now), cancellationToken);
            var run = await db.ScanRuns.AsNoTracking().Where(r => r.Id == candidate.RunId).Select(r => new { r.Ports, r.Exclusions }).FirstAsync(cancellationToken);
            return new ChunkLeaseDto(candidate.Id, candidate.RunId, token, candidate.Targets, run.Ports, run.Exclusions, expires);
        }

        return null;
    }

    /// <summary>Extends a lease; false when the holder lost it (expired and taken over, or the run was cancelled).</summary>
    public async Task<LeaseStatusDto> RenewAsync(long chunkId, Guid leaseToken, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var expires = time.GetUtcNow().AddSeconds(Options.LeaseSeconds);
        var renewed = await db.ScanChunks.Where(c => c.Id == chunkId && c.LeaseToken == leaseToken && c.State == ScanChunkState.Leased)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseExpiresAt, expires), cancellationToken);
        return renewed == 1 ? new LeaseStatusDto(true, expires) : new LeaseStatusDto(false, null);
    }

    /// <summary>
    /// Records results of a leased chunk (and renews the lease). Results are keyed by endpoint and run, so results sent
    /// twice, or by two scanners that both worked on the chunk, record once.
    /// </summary>
    public async Task<LeaseStatusDto> SubmitResultsAsync(long chunkId, Guid leaseToken, IReadOnlyList<ScanResultDto> results, CancellationToken cancellationToken)
    {
        if (results.Count > DiscoveryLimits.MaxResultsPerUpload)
        {
            throw new DomainValidationException("results", $"At most {DiscoveryLimits.MaxResultsPerUpload} results per request.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var chunk = await db.ScanChunks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == chunkId, cancellationToken)
            ?? throw new NotFoundException($"Chunk {chunkId} not found.");
        if (chunk.LeaseToken != leaseToken || chunk.State != ScanChunkState.Leased)
        {
            return new LeaseStatusDto(false, null);
        }

        var run = await db.ScanRuns.AsNoTracking().FirstAsync(r => r.Id == chunk.RunId, cancellationToken);
        var scope = TargetParser.Parse(chunk.Targets, run.Ports, run.Exclusions);
        await ingestor.IngestAsync(run, scope, results, cancellationToken);
        return await RenewAsync(chunkId, leaseToken, cancellationToken);
    }

    /// <summary>Marks a chunk done (only by its current lease holder) and closes the run when it was the last one.</summary>
    public async Task<LeaseStatusDto> CompleteChunkAsync(long chunkId, Guid leaseToken, long probedEndpoints, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var chunk = await db.ScanChunks.AsNoTracking().FirstOrDefaultAsync(c => c.Id == chunkId, cancellationToken)
            ?? throw new NotFoundException($"Chunk {chunkId} not found.");
        var done = await db.ScanChunks.Where(c => c.Id == chunkId && c.LeaseToken == leaseToken && c.State == ScanChunkState.Leased)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.State, ScanChunkState.Done)
                .SetProperty(c => c.DoneAt, now)
                .SetProperty(c => c.ProbedEndpoints, Math.Max(0, probedEndpoints)), cancellationToken);
        if (done == 0)
        {
            return new LeaseStatusDto(false, null);
        }

        await CloseRunIfDoneAsync(chunk.RunId, cancellationToken);
        return new LeaseStatusDto(true, null);
    }

    /// <summary>
    /// Closes a run whose chunks are all done: endpoints inside its targets that it did not see are gone, rogue
    /// certificates are flagged, and the summary is counted from what was recorded (so a retried chunk counts once).
    /// Only one caller wins the Running → Completed step.
    /// </summary>
    internal async Task CloseRunIfDoneAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.ScanChunks.AnyAsync(c => c.RunId == runId && c.State != ScanChunkState.Done, cancellationToken))
        {
            return;
        }

        var run = await db.ScanRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.State is ScanRunState.Completed or ScanRunState.Cancelled)
        {
            return;
        }

        // The last two chunks may complete at the same moment: the one that sets FinishedAt closes the run.
        var closing = await db.ScanRuns.Where(r => r.Id == runId && r.FinishedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.FinishedAt, time.GetUtcNow()), cancellationToken);
        if (closing == 0)
        {
            return;
        }

        var scope = TargetParser.Parse(run.Targets, run.Ports, run.Exclusions, new TargetLimits(ulong.MaxValue, int.MaxValue, int.MaxValue));
        await ingestor.CloseRunAsync(run, scope, cancellationToken);
        var now = time.GetUtcNow();
        var summary = await CountAsync(db, runId, cancellationToken);
        await db.ScanRuns.Where(r => r.Id == runId && r.State != ScanRunState.Completed && r.State != ScanRunState.Cancelled)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, ScanRunState.Completed)
                .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.ChunksDone, r => r.ChunkCount)
                .SetProperty(r => r.ProbedEndpoints, summary.Probed)
                .SetProperty(r => r.EndpointsFound, summary.Found)
                .SetProperty(r => r.Certificates, summary.Certificates)
                .SetProperty(r => r.Errors, summary.Errors)
                .SetProperty(r => r.NewEndpoints, summary.New)
                .SetProperty(r => r.ChangedCertificates, summary.Changed)
                .SetProperty(r => r.GoneEndpoints, summary.Gone), cancellationToken);
    }

    /// <summary>
    /// Closes runs whose chunks are all done but that nobody closed (the closing node stopped half-way): their
    /// FinishedAt is cleared after <paramref name="staleAfter"/> and the close runs again (it is idempotent).
    /// </summary>
    internal async Task CloseAbandonedRunsAsync(TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stale = time.GetUtcNow() - staleAfter;
        var candidates = await db.ScanRuns.AsNoTracking()
            .Where(r => (r.State == ScanRunState.Queued || r.State == ScanRunState.Running) && (r.FinishedAt == null || r.FinishedAt < stale)
                && !db.ScanChunks.Any(c => c.RunId == r.Id && c.State != ScanChunkState.Done))
            .Select(r => new { r.Id, r.FinishedAt }).Take(20).ToListAsync(cancellationToken);
        foreach (var run in candidates)
        {
            if (run.FinishedAt is not null)
            {
                await db.ScanRuns.Where(r => r.Id == run.Id && r.FinishedAt == run.FinishedAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.FinishedAt, (DateTimeOffset?)null), cancellationToken);
            }

            await CloseRunIfDoneAsync(run.Id, cancellationToken);
        }
    }

    internal static async Task<List<ScanRunDto>> ToDtosAsync(CertitudeDbContext db, List<ScanRun> runs, CancellationToken cancellationToken)
    {
        var definitionIds = runs.Where(r => r.DefinitionId != null).Select(r => r.DefinitionId!.Value).Distinct().ToList();
        var names = await db.ScanDefinitions.AsNoTracking().Where(d => definitionIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var result = new List<ScanRunDto>(runs.Count);
        foreach (var run in runs)
        {
            // A run in progress shows live counts from its chunks and records; a closed one its stored summary.
            var live = run.State is ScanRunState.Queued or ScanRunState.Running ? await CountAsync(db, run.Id, cancellationToken) : null;
            result.Add(new ScanRunDto(run.Id, run.DefinitionId, run.DefinitionId is { } d ? names.GetValueOrDefault(d) : null, run.DivisionId, run.Zone,
                run.Trigger, run.RequestedBy, run.State, run.Targets, run.Ports, run.Exclusions, run.CreatedAt, run.StartedAt, run.FinishedAt,
                run.ChunkCount, live?.ChunksDone ?? run.ChunksDone, run.TotalEndpoints, live?.Probed ?? run.ProbedEndpoints,
                live?.Found ?? run.EndpointsFound, live?.Certificates ?? run.Certificates, live?.New ?? run.NewEndpoints,
                live?.Changed ?? run.ChangedCertificates, live?.Gone ?? run.GoneEndpoints, live?.Errors ?? run.Errors));
        }

        return result;
    }

    private static async Task<RunSummary> CountAsync(CertitudeDbContext db, long runId, CancellationToken cancellationToken)
    {
        var chunks = await db.ScanChunks.AsNoTracking().Where(c => c.RunId == runId)
            .GroupBy(c => 1).Select(g => new { Done = g.Count(c => c.State == ScanChunkState.Done), Probed = g.Sum(c => c.ProbedEndpoints) })
            .FirstOrDefaultAsync(cancellationToken);
        var observations = db.EndpointObservations.AsNoTracking().Where(o => o.RunId == runId);
        var found = await observations.CountAsync(cancellationToken);
        var certificates = await observations.CountAsync(o => o.CertificateId != null, cancellationToken);
        var changes = await db.DiscoveryChanges.AsNoTracking().Where(c => c.RunId == runId).GroupBy(c => c.Kind)
            .Select(g => new { Kind = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Kind, g => g.Count, cancellationToken);
        return new RunSummary(chunks?.Done ?? 0, chunks?.Probed ?? 0, found, certificates, found - certificates,
            changes.GetValueOrDefault(DiscoveryChangeKinds.NewEndpoint),
            changes.GetValueOrDefault(DiscoveryChangeKinds.CertificateChanged) + changes.GetValueOrDefault(DiscoveryChangeKinds.CertificateGone),
            changes.GetValueOrDefault(DiscoveryChangeKinds.EndpointGone));
    }

    private sealed record RunSummary(int ChunksDone, long Probed, int Found, int Certificates, int Errors, int New, int Changed, int Gone);
}
