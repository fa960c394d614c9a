using System.Net;
using System.Security.Cryptography.X509Certificates;
using Certitude.Data;
using Certitude.Features.Inventory;
using Certitude.Tls.Targets;
using Certitude.Tls.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Discovery;

/// <summary>
/// Turns scan results into the platform's records: certificates into the inventory (source "scan", location the
/// endpoint), endpoints with their current state, one observation per endpoint and run, and the changes since the
/// previous run. Everything is keyed by endpoint and run, so results that arrive twice (a retried chunk, a chunk
/// finished by two agents) record once. Each result is written in its own transaction: one bad result loses nothing else.
/// </summary>
public sealed class DiscoveryIngestor(
    IDbContextFactory<CertitudeDbContext> contexts,
    IOptions<InventoryOptions> inventoryOptions,
    TimeProvider time,
    ILogger<DiscoveryIngestor> logger)
{
    /// <summary>Records results of <paramref name="run"/>; results outside <paramref name="scope"/> or the allowed ranges are dropped.</summary>
    /// <returns>How many results were recorded.</returns>
    internal async Task<int> IngestAsync(ScanRun run, ScanTargets scope, IReadOnlyList<ScanResultDto> results, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var context = await IngestContext.LoadAsync(db, time.GetUtcNow(), TimeSpan.FromDays(inventoryOptions.Value.ExpiringWindowDays), cancellationToken);
        try
        {
            var recorded = 0;
            foreach (var result in results)
            {
                if (!IPAddress.TryParse(result.Address, out var address) || result.Port is < 1 or > 65535
                    || !InScope(scope, address, result.Port, result.HostName) || !context.Allowed.Any(r => r.Contains(address)))
                {
                    logger.LogWarning("Scan run {Run}: dropped a result for {Address}:{Port} outside the run's targets or the allowed ranges",
                        run.Id, Sanitize(result.Address), result.Port);
                    continue;
                }

                // A unique-key conflict means another scanner recorded the same endpoint at the same moment (two
                // runs over one address): the second try finds its row.
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        await RecordAsync(db, context, run, AddressRange.Canonical(address), result, cancellationToken);
                        recorded++;
                        break;
                    }
                    catch (DbUpdateException) when (attempt < 2)
                    {
                        db.ChangeTracker.Clear();
                    }
                }
            }

            return recorded;
        }
        finally
        {
            context.Dispose();
        }
    }

    /// <summary>
    /// After the last chunk: endpoints inside the run's targets that it did not see are gone, and the endpoints it saw
    /// get their rogue reasons (which need the whole run: wildcard spread counts endpoints across chunks).
    /// </summary>
    internal async Task CloseRunAsync(ScanRun run, ScanTargets scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var unseen = await db.DiscoveredEndpoints.Where(e => e.IsActive && e.LastRunId != run.Id && e.FirstSeenAt <= run.CreatedAt).ToListAsync(cancellationToken);
        foreach (var endpoint in unseen.Where(e => IPAddress.TryParse(e.Address, out var a) && InScope(scope, a, e.Port, e.HostName.Length == 0 ? null : e.HostName)))
        {
            endpoint.IsActive = false;
            endpoint.GoneAt = now;
            await AddChangeAsync(db, run.Id, endpoint, DiscoveryChangeKinds.EndpointGone, endpoint.CertificateId, null, now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await FlagRogueAsync(db, run.Id, cancellationToken);
    }

    private async Task RecordAsync(CertitudeDbContext db, IngestContext context, ScanRun run, IPAddress address, ScanResultDto result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hostName = string.IsNullOrEmpty(result.HostName) ? "" : result.HostName.ToLowerInvariant();
        var addressText = address.ToString();
        var divisionId = context.DivisionFor(address) ?? run.DivisionId;
        var chain = DecodeChain(result.Chain, out var chainError);
        List<string> chainFingerprints = [.. chain.Select(c => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(c)))];
        var failure = chainError is null ? Truncate(result.Failure, 32) : "malformed";
        var error = chainError ?? Truncate(result.Error, DiscoveryLimits.MaxErrorLength);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        long? leafId = null;
        string? leafFingerprint = null;
        ChainReport? report = null;
        if (chain.Count > 0)
        {
            var location = EndpointService.Name(addressText, result.Port, hostName);
            leafId = await InventoryRecorder.RecordPresentedChainAsync(db, chain, divisionId,
                new RecordedSource(CertificateSourceKinds.Scan, location, $"scan-run:{run.Id}"), now, cancellationToken);
            leafFingerprint = chainFingerprints[0];
            report = context.Checks.Evaluate(chain, hostName.Length > 0 ? hostName : null);
            if (leafId is null)
            {
                // Bytes that are not a certificate have no fingerprint: a later good certificate is not a "change".
                leafFingerprint = null;
                failure = "malformed";
                error ??= "The server's certificate cannot be parsed.";
            }
        }

        var endpoint = await db.DiscoveredEndpoints.FirstOrDefaultAsync(
            e => e.Address == addressText && e.Port == result.Port && e.HostName == hostName, cancellationToken);
        if (endpoint is null)
        {
            endpoint = new DiscoveredEndpoint
            {
                Address = addressText, Port = result.Port, HostName = hostName, StartTls = Truncate(result.StartTls, 16) ?? "none",
                DivisionId = divisionId, FirstSeenAt = now,
            };
            db.DiscoveredEndpoints.Add(endpoint);
            await db.SaveChangesAsync(cancellationToken);
            await AddChangeAsync(db, run.Id, endpoint, DiscoveryChangeKinds.NewEndpoint, null, leafId, now, cancellationToken);
        }
        else if (endpoint.LastRunId != run.Id)
        {
            // Compared with what the endpoint showed before this run; a second delivery of the same run's result
            // compares with itself and finds nothing new.
            if (endpoint.Sha256Fingerprint is not null && leafFingerprint is not null && endpoint.Sha256Fingerprint != leafFingerprint)
            {
                await AddChangeAsync(db, run.Id, endpoint, DiscoveryChangeKinds.CertificateChanged, endpoint.CertificateId, leafId, now, cancellationToken);
            }
            else if (endpoint.Sha256Fingerprint is not null && leafFingerprint is null)
            {
                await AddChangeAsync(db, run.Id, endpoint, DiscoveryChangeKinds.CertificateGone, endpoint.CertificateId, null, now, cancellationToken);
            }

            if (!endpoint.IsActive)
            {
                await AddChangeAsync(db, run.Id, endpoint, DiscoveryChangeKinds.NewEndpoint, null, leafId, now, cancellationToken);
            }
        }

        endpoint.DivisionId = divisionId;
        endpoint.StartTls = Truncate(result.StartTls, 16) ?? "none";
        endpoint.LastSeenAt = now;
        endpoint.LastRunId = run.Id;
        endpoint.IsActive = true;
        endpoint.GoneAt = null;
        endpoint.CertificateId = leafId;
        endpoint.Sha256Fingerprint = leafFingerprint;
        endpoint.ChainFingerprints = chainFingerprints;
        endpoint.Protocol = Truncate(result.Protocol, 16);
        endpoint.CipherSuite = Truncate(result.CipherSuite, 96);
        endpoint.SupportsTls13 = result.SupportsTls13;
        endpoint.HandshakeMs = result.HandshakeMs;
        endpoint.Failure = failure;
        endpoint.Error = error;
        endpoint.Trust = report?.Trust.ToString().ToLowerInvariant();
        endpoint.Problems = report is null ? [] : [.. report.Problems];
        await db.SaveChangesAsync(cancellationToken);

        var observation = await db.EndpointObservations.FirstOrDefaultAsync(o => o.EndpointId == endpoint.Id && o.RunId == run.Id, cancellationToken);
        if (observation is null)
        {
            observation = new EndpointObservation { EndpointId = endpoint.Id, RunId = run.Id };
            db.EndpointObservations.Add(observation);
        }

        observation.ObservedAt = result.ScannedAt == default ? now : result.ScannedAt;
        observation.CertificateId = leafId;
        observation.Sha256Fingerprint = leafFingerprint;
        observation.Protocol = endpoint.Protocol;
        observation.CipherSuite = endpoint.CipherSuite;
        observation.HandshakeMs = result.HandshakeMs;
        observation.Failure = failure;
        observation.Error = error;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static async Task AddChangeAsync(CertitudeDbContext db, long runId, DiscoveredEndpoint endpoint, string kind, long? previous, long? current,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await db.DiscoveryChanges.AnyAsync(c => c.RunId == runId && c.EndpointId == endpoint.Id && c.Kind == kind, cancellationToken))
        {
            db.DiscoveryChanges.Add(new DiscoveryChange
            {
                RunId = runId, EndpointId = endpoint.Id, DivisionId = endpoint.DivisionId, Kind = kind,
                PreviousCertificateId = previous, CertificateId = current, DetectedAt = now,
            });
        }
    }

    /// <summary>
    /// Rogue reasons of the run's endpoints: an issuer that is neither one of Certitude's CAs nor approved, a
    /// self-signed certificate in a production range, a certificate nobody issued or imported through the platform
    /// (its only sources are scans), and a wildcard certificate on more endpoints than the threshold.
    /// </summary>
    private static async Task FlagRogueAsync(CertitudeDbContext db, long runId, CancellationToken cancellationToken)
    {
        var settings = await DiscoverySettingsService.LoadAsync(db, cancellationToken);
        var production = DiscoverySettingsService.ParseRanges(settings.ProductionRanges);
        var approvedIds = settings.ApprovedAuthorityCertificateIds;
        var authorityCertificateIds = await db.CertificateAuthorities.AsNoTracking().Select(a => a.InventoryCertificateId).ToListAsync(cancellationToken);
        var approvedKeys = (await db.Certificates.IgnoreQueryFilters().AsNoTracking()
                .Where(c => approvedIds.Contains(c.Id) || authorityCertificateIds.Contains(c.Id)).Select(c => c.SpkiSha256).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

        var endpoints = await db.DiscoveredEndpoints.Where(e => e.LastRunId == runId && e.IsActive).ToListAsync(cancellationToken);
        var leafIds = endpoints.Where(e => e.CertificateId != null).Select(e => e.CertificateId!.Value).Distinct().ToList();
        var leaves = await db.Certificates.IgnoreQueryFilters().AsNoTracking().Where(c => leafIds.Contains(c.Id))
            .Select(c => new { c.Id, c.IsSelfSigned, c.SubjectAlternativeNames, c.IssuerCertificateId, c.Sha256Fingerprint })
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var managed = (await db.CertificateSources.AsNoTracking()
                .Where(s => leafIds.Contains(s.CertificateId) && s.Kind != CertificateSourceKinds.Scan).Select(s => s.CertificateId).Distinct().ToListAsync(cancellationToken))
            .ToHashSet();
        var fingerprints = leaves.Values.Select(l => l.Sha256Fingerprint).ToList();
        var spread = await db.DiscoveredEndpoints.AsNoTracking().Where(e => e.IsActive && e.Sha256Fingerprint != null && fingerprints.Contains(e.Sha256Fingerprint))
            .GroupBy(e => e.Sha256Fingerprint!).Select(g => new { Fingerprint = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Fingerprint, g => g.Count, cancellationToken);

        var approvedLeaf = new Dictionary<long, bool>();
        foreach (var endpoint in endpoints)
        {
            var reasons = new List<string>();
            if (endpoint.CertificateId is { } leafId && leaves.TryGetValue(leafId, out var leaf))
            {
                if (!approvedLeaf.TryGetValue(leafId, out var approved))
                {
                    approved = await IssuedByApprovedAsync(db, leaf.IssuerCertificateId, approvedKeys, cancellationToken);
                    approvedLeaf[leafId] = approved;
                }

                if (!approved)
                {
                    reasons.Add("unapproved-issuer");
                }

                if (leaf.IsSelfSigned && IPAddress.TryParse(endpoint.Address, out var address) && production.Any(r => r.Contains(address)))
                {
                    reasons.Add("self-signed-in-production");
                }

                if (!managed.Contains(leafId))
                {
                    reasons.Add("unmanaged");
                }

                if (leaf.SubjectAlternativeNames.Any(n => n.StartsWith("DNS:*.", StringComparison.Ordinal))
                    && spread.GetValueOrDefault(leaf.Sha256Fingerprint) > settings.WildcardSpreadThreshold)
                {
                    reasons.Add("wildcard-spread");
                }
            }

            endpoint.RogueReasons = reasons;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Whether an approved CA key is above the leaf in its stored, signature-checked issuer chain. Intermediates a
    /// server merely presents do not count unless they were linked by signature: a server can send any certificate.
    /// </summary>
    private static async Task<bool> IssuedByApprovedAsync(CertitudeDbContext db, long? issuerId, HashSet<string> approvedKeys,
        CancellationToken cancellationToken)
    {
        if (approvedKeys.Count == 0)
        {
            return false;
        }

        for (var depth = 0; issuerId is { } id && depth < 10; depth++)
        {
            var issuer = await db.Certificates.IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == id)
                .Select(c => new { c.SpkiSha256, c.IssuerCertificateId, c.IsSelfSigned }).FirstOrDefaultAsync(cancellationToken);
            if (issuer is null)
            {
                break;
            }

            if (approvedKeys.Contains(issuer.SpkiSha256))
            {
                return true;
            }

            issuerId = issuer.IsSelfSigned ? null : issuer.IssuerCertificateId;
        }

        return false;
    }

    private static bool InScope(ScanTargets scope, IPAddress address, int port, string? hostName)
    {
        address = AddressRange.Canonical(address);
        if (scope.IsExcluded(address))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(hostName))
        {
            var name = hostName.ToLowerInvariant();
            return scope.Hosts.Any(h => h.Name == name && (h.Port is { } p ? p.Port == port : scope.Ports.Any(s => s.Port == port)));
        }

        return (scope.Ports.Any(p => p.Port == port) && scope.Ranges.Any(r => r.Contains(address)))
            || scope.AddressesWithPort.Any(t => t.Port!.Port == port && t.Range.Contains(address));
    }

    private static List<byte[]> DecodeChain(IReadOnlyList<string>? chain, out string? error)
    {
        error = null;
        var result = new List<byte[]>();
        if (chain is null)
        {
            return result;
        }

        if (chain.Count > DiscoveryLimits.MaxChainLength)
        {
            error = $"The server presented more than {DiscoveryLimits.MaxChainLength} certificates.";
            return [];
        }

        foreach (var item in chain)
        {
            var der = new byte[3 * (item?.Length ?? 0) / 4 + 3];
            if (item is null || item.Length > DiscoveryLimits.MaxCertificateBase64Length || !Convert.TryFromBase64String(item, der, out var written))
            {
                error = "A certificate of the chain is not base64 DER within the size limit.";
                return [];
            }

            result.Add(der[..written]);
        }

        return result;
    }

    private static string? Truncate(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];

    private static string Sanitize(string value) => new([.. value.Take(45).Where(c => !char.IsControl(c))]);

    /// <summary>What ingesting a batch needs from the database once: settings, division ranges, the organization's trust anchors.</summary>
    private sealed class IngestContext : IDisposable
    {
        private readonly List<(AddressRange Range, long DivisionId)> _divisionRanges;

        private IngestContext(List<AddressRange> allowed, List<(AddressRange, long)> divisionRanges, List<X509Certificate2> anchors, ChainCheckCache checks)
        {
            Allowed = allowed;
            _divisionRanges = divisionRanges;
            Anchors = anchors;
            Checks = checks;
        }

        public List<AddressRange> Allowed { get; }

        /// <summary>Certitude's own CAs and the approved CAs: the "organization" trust of <see cref="ChainCheck"/>.</summary>
        public List<X509Certificate2> Anchors { get; }

        /// <summary>Chain judgements of this batch, one per distinct chain and host name.</summary>
        public ChainCheckCache Checks { get; }

        public static async Task<IngestContext> LoadAsync(CertitudeDbContext db, DateTimeOffset now, TimeSpan expiringWindow, CancellationToken cancellationToken)
        {
            var settings = await DiscoverySettingsService.LoadAsync(db, cancellationToken);
            var divisions = await db.Divisions.AsNoTracking().Select(d => new { d.Id, d.IpRanges }).ToListAsync(cancellationToken);
            var ranges = divisions.SelectMany(d => d.IpRanges.Select(TargetParser.TryParseRange).OfType<AddressRange>().Select(r => (r, d.Id)))
                .OrderBy(x => x.r.Count).ToList();
            var authorityIds = await db.CertificateAuthorities.AsNoTracking().Select(a => a.InventoryCertificateId).ToListAsync(cancellationToken);
            var anchorIds = authorityIds.Concat(settings.ApprovedAuthorityCertificateIds).ToList();
            var anchors = await db.Certificates.IgnoreQueryFilters().AsNoTracking().Where(c => anchorIds.Contains(c.Id)).Select(c => c.Der).ToListAsync(cancellationToken);
            List<X509Certificate2> anchorCertificates = [.. anchors.Select(der => X509CertificateLoader.LoadCertificate(der))];
            return new IngestContext(DiscoverySettingsService.ParseRanges(settings.AllowedRanges), ranges, anchorCertificates,
                new ChainCheckCache(now, expiringWindow, anchorCertificates));
        }

        /// <summary>The division whose IP ranges hold the address, the most specific range winning.</summary>
        public long? DivisionFor(IPAddress address) =>
            _divisionRanges.FirstOrDefault(x => x.Range.Contains(address)) is { Range: not null } hit ? hit.DivisionId : null;

        public void Dispose()
        {
            foreach (var anchor in Anchors)
            {
                anchor.Dispose();
            }
        }
    }
}
