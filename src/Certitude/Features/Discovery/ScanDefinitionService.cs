using System.Globalization;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Discovery;

/// <summary>Saved scans: create, change, delete, list, run now. Division managers and administrators manage their division's scans.</summary>
public sealed class ScanDefinitionService(
    IDbContextFactory<CertitudeDbContext> contexts,
    ScanRunService runs,
    AuditLog audit,
    IOptions<DiscoveryOptions> options,
    TimeProvider time,
    ILogger<ScanDefinitionService> logger)
{
    public async Task<IReadOnlyList<ScanDefinitionDto>> ListAsync(AccessScope access, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var readable = access.ReadableDivisions;
        var definitions = await db.ScanDefinitions.AsNoTracking().Where(d => readable == null || readable.Contains(d.DivisionId))
            .OrderBy(d => d.Name).ToListAsync(cancellationToken);
        return await ToDtosAsync(db, definitions, cancellationToken);
    }

    public async Task<ScanDefinitionDto> GetAsync(AccessScope access, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var definition = await FindAsync(db, access, id, cancellationToken);
        return (await ToDtosAsync(db, [definition], cancellationToken))[0];
    }

    public async Task<ScanDefinitionDto> CreateAsync(AccessScope access, ScanDefinitionInput input, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var divisionId = input.DivisionId ?? await db.Divisions.Where(d => d.ParentId == null).Select(d => d.Id).FirstAsync(cancellationToken);
        if (!await db.Divisions.AnyAsync(d => d.Id == divisionId, cancellationToken) || !access.CanRead(divisionId))
        {
            throw new NotFoundException($"Division {divisionId} not found.");
        }

        RequireManager(access, divisionId);
        var now = time.GetUtcNow();
        var definition = new ScanDefinition
        {
            Name = RequireName(input.Name), DivisionId = divisionId, Schedule = input.Schedule?.Trim() ?? options.Value.DefaultSchedule,
            CreatedBy = access.Actor.Name, CreatedAt = now, UpdatedAt = now,
        };
        await ApplyAsync(db, definition, input, now, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RequireUniqueNameAsync(db, definition.Name, null, cancellationToken);
        db.ScanDefinitions.Add(definition);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, access.Actor, new AuditRecord("discovery.scan.create", "scan-definition", Id(definition), divisionId,
            new { definition.Name, definition.Targets, definition.Ports, definition.Exclusions, definition.Schedule, definition.Zone }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await ToDtosAsync(db, [definition], cancellationToken))[0];
    }

    public async Task<ScanDefinitionDto> UpdateAsync(AccessScope access, long id, ScanDefinitionInput input, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var definition = await FindAsync(db, access, id, cancellationToken);
        RequireManager(access, definition.DivisionId);
        if (input.DivisionId is { } divisionId && divisionId != definition.DivisionId)
        {
            if (!await db.Divisions.AnyAsync(d => d.Id == divisionId, cancellationToken) || !access.CanRead(divisionId))
            {
                throw new NotFoundException($"Division {divisionId} not found.");
            }

            RequireManager(access, divisionId);
            definition.DivisionId = divisionId;
        }

        if (input.Name is not null)
        {
            definition.Name = RequireName(input.Name);
        }

        if (input.Schedule is not null)
        {
            definition.Schedule = input.Schedule.Trim();
        }

        var now = time.GetUtcNow();
        await ApplyAsync(db, definition, input, now, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RequireUniqueNameAsync(db, definition.Name, definition.Id, cancellationToken);
        definition.UpdatedAt = now;
        await audit.AppendAsync(db, access.Actor, new AuditRecord("discovery.scan.update", "scan-definition", Id(definition), definition.DivisionId,
            new { definition.Name, definition.Targets, definition.Ports, definition.Exclusions, definition.Schedule, definition.Zone, definition.Enabled }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await ToDtosAsync(db, [definition], cancellationToken))[0];
    }

    public async Task DeleteAsync(AccessScope access, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var definition = await FindAsync(db, access, id, cancellationToken);
        RequireManager(access, definition.DivisionId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ScanDefinitions.Remove(definition);
        await audit.AppendAsync(db, access.Actor, new AuditRecord("discovery.scan.delete", "scan-definition", Id(definition), definition.DivisionId,
            new { definition.Name }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Queues a run of the definition now (its schedule is unchanged).</summary>
    public async Task<ScanRunDto> RunNowAsync(AccessScope access, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var definition = await FindAsync(db, access, id, cancellationToken);
        RequireManager(access, definition.DivisionId);
        var run = await QueueAsync(db, definition, "manual", access.Actor, cancellationToken);
        return (await ScanRunService.ToDtosAsync(db, [run], cancellationToken))[0];
    }

    /// <summary>
    /// Starts the runs of definitions whose time has come. Each definition's next time moves forward with a
    /// compare-and-set, so with several server nodes exactly one of them starts a given run.
    /// </summary>
    internal async Task<int> StartDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var due = await db.ScanDefinitions.Where(d => d.Enabled && d.NextRunAt != null && d.NextRunAt <= now).OrderBy(d => d.NextRunAt).Take(50).ToListAsync(cancellationToken);
        var started = 0;
        foreach (var definition in due)
        {
            var previous = definition.NextRunAt;
            var next = ScanTargetRules.NextOccurrence(definition.Schedule, now);
            var claimed = await db.ScanDefinitions.Where(d => d.Id == definition.Id && d.NextRunAt == previous)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextRunAt, next), cancellationToken);
            if (claimed == 1)
            {
                // A scan refused at this occurrence (its targets left the allowed ranges since it was saved) queues
                // nothing and waits for its next one; it must not keep the other due scans from starting.
                try
                {
                    await QueueAsync(db, definition, "schedule", Actor.System, cancellationToken);
                    started++;
                }
                catch (Exception e) when (e is ForbiddenException or DomainValidationException)
                {
                    db.ChangeTracker.Clear();
                    logger.LogWarning("Scheduled scan {Definition} ('{Name}') not started: {Reason}", definition.Id, definition.Name, e.Message);
                }
            }
        }

        return started;
    }

    private async Task<ScanRun> QueueAsync(CertitudeDbContext db, ScanDefinition definition, string trigger, Actor actor, CancellationToken cancellationToken)
    {
        var settings = await DiscoverySettingsService.LoadAsync(db, cancellationToken);

        // Checked again at every run: the allowed ranges may have narrowed since the definition was saved.
        var parsed = ScanTargetRules.Check(definition.Targets, definition.Ports, definition.Exclusions, settings);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = await runs.QueueAsync(db, parsed, new ScanRunSpec(definition.Id, definition.DivisionId, definition.Zone, trigger, actor.Name,
            definition.Targets, definition.Ports, definition.Exclusions), cancellationToken);
        await audit.AppendAsync(db, actor, new AuditRecord("discovery.run.start", "scan-run", Id(run.Id), definition.DivisionId,
            new { Definition = definition.Name, trigger, run.ChunkCount, run.TotalEndpoints }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run;
    }

    private static async Task ApplyAsync(CertitudeDbContext db, ScanDefinition definition, ScanDefinitionInput input, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (input.Targets is not null)
        {
            definition.Targets = [.. input.Targets.Select(t => t.Trim()).Where(t => t.Length > 0)];
        }

        if (input.Exclusions is not null)
        {
            definition.Exclusions = [.. input.Exclusions.Select(t => t.Trim()).Where(t => t.Length > 0)];
        }

        if (input.Ports is not null)
        {
            definition.Ports = string.IsNullOrWhiteSpace(input.Ports) ? null : input.Ports.Trim();
        }

        if (input.Zone is not null)
        {
            definition.Zone = ScanTargetRules.NormalizeZone(input.Zone);
        }

        if (input.Enabled is { } enabled)
        {
            definition.Enabled = enabled;
        }

        ScanTargetRules.Check(definition.Targets, definition.Ports, definition.Exclusions, await DiscoverySettingsService.LoadAsync(db, cancellationToken));

        // Parsed even when disabled: a disabled scan keeps its schedule for the day it is enabled again.
        var next = ScanTargetRules.NextOccurrence(definition.Schedule, now);
        definition.NextRunAt = definition.Enabled ? next : null;
    }

    private static async Task<ScanDefinition> FindAsync(CertitudeDbContext db, AccessScope access, long id, CancellationToken cancellationToken)
    {
        var definition = await db.ScanDefinitions.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return definition is not null && access.CanRead(definition.DivisionId) ? definition : throw new NotFoundException($"Scan {id} not found.");
    }

    private static void RequireManager(AccessScope access, long divisionId)
    {
        if (!access.CanManage(divisionId))
        {
            throw new ForbiddenException("Only the division's managers and administrators may manage its scans.");
        }
    }

    private static string RequireName(string? name)
    {
        name = name?.Trim();
        return !string.IsNullOrEmpty(name) && name.Length <= DiscoveryLimits.MaxNameLength && !name.Any(char.IsControl)
            ? name
            : throw new DomainValidationException("name", $"A scan needs a name of 1-{DiscoveryLimits.MaxNameLength} characters.");
    }

    private static async Task RequireUniqueNameAsync(CertitudeDbContext db, string name, long? except, CancellationToken cancellationToken)
    {
        if (await db.ScanDefinitions.AnyAsync(d => d.Name == name && d.Id != except, cancellationToken))
        {
            throw new ConflictException($"A scan named '{name}' exists already.");
        }
    }

    private static async Task<List<ScanDefinitionDto>> ToDtosAsync(CertitudeDbContext db, List<ScanDefinition> definitions, CancellationToken cancellationToken)
    {
        var ids = definitions.Select(d => d.Id).ToList();
        var lastRunIds = await db.ScanRuns.AsNoTracking().Where(r => r.DefinitionId != null && ids.Contains(r.DefinitionId.Value))
            .GroupBy(r => r.DefinitionId!.Value).Select(g => g.Max(r => r.Id)).ToListAsync(cancellationToken);
        var lastRuns = await db.ScanRuns.AsNoTracking().Where(r => lastRunIds.Contains(r.Id)).ToListAsync(cancellationToken);
        var lastRunDtos = (await ScanRunService.ToDtosAsync(db, lastRuns, cancellationToken)).ToDictionary(r => r.DefinitionId!.Value);
        return [.. definitions.Select(d => new ScanDefinitionDto(d.Id, d.Name, d.DivisionId, d.Targets, d.Ports, d.Exclusions, d.Schedule, d.Zone, d.Enabled,
            d.NextRunAt, d.CreatedBy, d.CreatedAt, d.UpdatedAt, lastRunDtos.GetValueOrDefault(d.Id)))];
    }

    private static string Id(ScanDefinition definition) => Id(definition.Id);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
