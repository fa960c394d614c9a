using System.Globalization;
using Certitude.Data;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Discovery;

/// <summary>What discovery found: endpoints (with filters for rogue, gone, problems), one endpoint's certificate history, and changes.</summary>
public sealed class EndpointService(IDbContextFactory<CertitudeDbContext> contexts)
{
    public async Task<EndpointPage> ListAsync(AccessScope access, EndpointQuery query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, 1000);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var readable = access.ReadableDivisions;
        var endpoints = db.DiscoveredEndpoints.AsNoTracking().Where(e => readable == null || readable.Contains(e.DivisionId));
        if (query.Active is { } active)
        {
            endpoints = endpoints.Where(e => e.IsActive == active);
        }

        if (query.DivisionId is { } division)
        {
            endpoints = endpoints.Where(e => e.DivisionId == division);
        }

        if (query.RunId is { } run)
        {
            var ids = db.EndpointObservations.Where(o => o.RunId == run).Select(o => o.EndpointId);
            endpoints = endpoints.Where(e => ids.Contains(e.Id));
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim().ToLowerInvariant();
            // Address, host name, or the presented certificate's common name or fingerprint: "where is this
            // certificate deployed?" is the question a manager brings here.
            // ToLower().Contains is what both providers translate (LOWER(...) LIKE); the StringComparison overload is not.
            var certificates = db.Certificates.IgnoreQueryFilters();
#pragma warning disable CA1862
            endpoints = endpoints.Where(e => e.Address.Contains(text) || e.HostName.Contains(text) || e.Sha256Fingerprint == text
                || certificates.Any(c => c.Id == e.CertificateId && c.SubjectCommonName.ToLower().Contains(text)));
#pragma warning restore CA1862
        }

        if (cursor is not null)
        {
            var after = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? id
                : throw new DomainValidationException("cursor", "Not a cursor of this list.");
            endpoints = endpoints.Where(e => e.Id > after);
        }

        // Problem and rogue filters read the lists stored as JSON (SQLite) or arrays (PostgreSQL): filtered after
        // loading, page by page, so the query stays the same on both providers.
        var items = new List<DiscoveredEndpoint>();
        long last = 0;
        var exhausted = false;
        while (items.Count < limit + 1 && !exhausted)
        {
            var page = await endpoints.Where(e => e.Id > last).OrderBy(e => e.Id).Take(500).ToListAsync(cancellationToken);
            exhausted = page.Count < 500;
            foreach (var endpoint in page)
            {
                last = endpoint.Id;
                if ((query.Rogue is not { } rogue || rogue == endpoint.RogueReasons.Count > 0)
                    && (query.Problem is null || endpoint.Problems.Contains(query.Problem)))
                {
                    items.Add(endpoint);
                    if (items.Count == limit + 1)
                    {
                        break;
                    }
                }
            }
        }

        var more = items.Count > limit;
        var shown = items.Take(limit).ToList();
        return new EndpointPage(await ToDtosAsync(db, shown, cancellationToken),
            more ? shown[^1].Id.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<EndpointDetailDto> GetAsync(AccessScope access, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var endpoint = await db.DiscoveredEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (endpoint is null || !access.CanRead(endpoint.DivisionId))
        {
            throw new NotFoundException($"Endpoint {id} not found.");
        }

        var observations = await db.EndpointObservations.AsNoTracking().Where(o => o.EndpointId == id).OrderByDescending(o => o.RunId).Take(200)
            .ToListAsync(cancellationToken);
        var certificateIds = observations.Where(o => o.CertificateId != null).Select(o => o.CertificateId!.Value).Distinct().ToList();
        var certificates = await db.Certificates.IgnoreQueryFilters().AsNoTracking().Where(c => certificateIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Subject, c.NotAfter }).ToDictionaryAsync(c => c.Id, cancellationToken);
        var history = observations.Select(o =>
        {
            var certificate = o.CertificateId is { } c ? certificates.GetValueOrDefault(c) : null;
            return new EndpointObservationDto(o.RunId, o.ObservedAt, o.CertificateId, o.Sha256Fingerprint, certificate?.Subject, certificate?.NotAfter,
                o.Protocol, o.CipherSuite, o.Failure, o.Error);
        }).ToList();
        var changes = await ChangesAsync(db, db.DiscoveryChanges.AsNoTracking().Where(c => c.EndpointId == id), 200, cancellationToken);
        return new EndpointDetailDto((await ToDtosAsync(db, [endpoint], cancellationToken))[0], history, changes);
    }

    /// <summary>Changes newest first, optionally of one run or one kind.</summary>
    public async Task<IReadOnlyList<DiscoveryChangeDto>> ListChangesAsync(AccessScope access, long? runId, string? kind, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var readable = access.ReadableDivisions;
        var changes = db.DiscoveryChanges.AsNoTracking().Where(c => readable == null || readable.Contains(c.DivisionId));
        if (runId is { } run)
        {
            changes = changes.Where(c => c.RunId == run);
        }

        if (!string.IsNullOrWhiteSpace(kind))
        {
            changes = changes.Where(c => c.Kind == kind);
        }

        return await ChangesAsync(db, changes, Math.Clamp(limit, 1, 1000), cancellationToken);
    }

    private static async Task<List<DiscoveryChangeDto>> ChangesAsync(CertitudeDbContext db, IQueryable<DiscoveryChange> query, int limit, CancellationToken cancellationToken)
    {
        var changes = await query.OrderByDescending(c => c.Id).Take(limit).ToListAsync(cancellationToken);
        var endpointIds = changes.Select(c => c.EndpointId).Distinct().ToList();
        var names = await db.DiscoveredEndpoints.AsNoTracking().Where(e => endpointIds.Contains(e.Id))
            .Select(e => new { e.Id, e.Address, e.Port, e.HostName }).ToDictionaryAsync(e => e.Id, e => Name(e.Address, e.Port, e.HostName), cancellationToken);
        return [.. changes.Select(c => new DiscoveryChangeDto(c.Id, c.RunId, c.EndpointId, names.GetValueOrDefault(c.EndpointId) ?? "?", c.Kind,
            c.PreviousCertificateId, c.CertificateId, c.DetectedAt))];
    }

    private static async Task<List<EndpointDto>> ToDtosAsync(CertitudeDbContext db, List<DiscoveredEndpoint> endpoints, CancellationToken cancellationToken)
    {
        var ids = endpoints.Where(e => e.CertificateId != null).Select(e => e.CertificateId!.Value).Distinct().ToList();
        var certificates = await db.Certificates.IgnoreQueryFilters().AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Subject, c.Issuer, c.NotAfter }).ToDictionaryAsync(c => c.Id, cancellationToken);
        return [.. endpoints.Select(e =>
        {
            var c = e.CertificateId is { } id ? certificates.GetValueOrDefault(id) : null;
            return new EndpointDto(e.Id, e.Address, e.Port, e.HostName.Length == 0 ? null : e.HostName, e.StartTls, e.DivisionId, e.IsActive,
                e.FirstSeenAt, e.LastSeenAt, e.GoneAt, e.CertificateId, e.Sha256Fingerprint, c?.Subject, c?.Issuer, c?.NotAfter, e.Protocol, e.CipherSuite,
                e.SupportsTls13, e.HandshakeMs, e.Failure, e.Error, e.Trust, e.Problems, e.RogueReasons);
        })];
    }

    /// <summary>"10.0.0.1:443", "[2001:db8::1]:443", with " (name)" for host-name endpoints.</summary>
    internal static string Name(string address, int port, string hostName)
    {
        var text = address.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{address}:{port}");
        return hostName.Length == 0 ? text : $"{text} ({hostName})";
    }
}
