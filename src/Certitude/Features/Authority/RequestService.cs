using System.Globalization;
using System.Net;
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
using Certitude.Pki.Issuance;
using Certitude.Pki.Signing;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Authority;

/// <summary>
/// The request workflow, whichever CA is behind it: submit (CSR or server-generated key) → checks (profile, the
/// division's names) → approvals as the division's policy asks → issue through the CA's connector → inventory.
/// Every transition is audited with the request as its target, which is the request's visible history.
/// </summary>
public sealed class RequestService(
    IDbContextFactory<CertitudeDbContext> contexts,
    IEnumerable<ICaConnector> connectors,
    CaKeyRing keys,
    AuthorityUrls urls,
    AccessService access,
    AccessCache accessCache,
    AuditLog audit,
    GroupCommit groupCommit,
    TimeProvider time,
    ILogger<RequestService> logger)
{
    internal const string TargetType = "request";

    /// <summary>Issued certificates start a little in the past: clients with a slow clock accept them at once.</summary>
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(1);

    public async Task<RequestDto> SubmitAsync(AccessScope scope, CertificateRequestInput input, CancellationToken cancellationToken)
    {
        scope.DemandNotReadOnly();
        var tree = await access.TreeAsync(cancellationToken);
        var divisionId = ResolveDivision(scope, tree, input.DivisionId);
        var csr = input.Csr is { Length: > 0 } text ? ReadCsr(text) : null;
        var key = await ResolveKeyAsync(csr, input.GenerateKey, null, cancellationToken);
        var names = new List<SubjectAlternativeName>();
        if (csr is not null)
        {
            names.AddRange(csr.SubjectAlternativeNames.Where(n => n.Type is SubjectAlternativeNameType.Dns or SubjectAlternativeNameType.IpAddress));
        }

        names.AddRange(ParseNames(input.DnsNames, input.IpAddresses));
        var commonName = input.CommonName?.Trim() is { Length: > 0 } cn ? cn : csr?.SubjectCommonName;
        var draft = new RequestDraft
        {
            DivisionId = divisionId,
            Kind = RequestKind.New,
            Profile = input.Profile,
            CommonName = commonName,
            Names = names,
            ValidityDays = input.ValidityDays,
            Key = key,
            Owner = input.Owner,
            Comments = input.Comments,
        };
        return await SubmitAsync(scope, tree, draft, cancellationToken);
    }

    /// <summary>Checks a draft and stores it as a pending request; issues at once when the division auto-approves.</summary>
    internal async Task<RequestDto> SubmitAsync(AccessScope scope, DivisionTree tree, RequestDraft draft, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Which CA a division's requests go to changes only with the divisions or the CAs, which move the access
        // stamp: resolved once per stamp value (the CA row is shared: read it, never change it). Resolved with the tree
        // of that same stamp value, not the caller's, which may be older when a change committed meanwhile.
        var authority = await accessCache.DerivedAsync($"request-authority:{draft.AuthorityId}:{draft.DivisionId}", async ct =>
        {
            var current = await access.TreeAsync(ct);
            await using var db = await contexts.CreateDbContextAsync(ct);
            return await ResolveAuthorityAsync(db, current, draft, ct);
        }, cancellationToken);

        var profile = ResolveProfile(tree, draft);

        // The common name goes into the SANs too (CA/B BR 7.1.4.3: the CN repeats a SAN); IP-looking CNs as IPs.
        var names = draft.Names.ToList();
        if (draft.CommonName is { } commonName)
        {
            var fromCn = IPAddress.TryParse(commonName, out _) ? new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, commonName)
                : new SubjectAlternativeName(SubjectAlternativeNameType.Dns, commonName.ToLowerInvariant());
            names.Insert(0, fromCn);
        }

        names = names.Select(Canonical).DistinctBy(n => (n.Type, n.Value)).ToList();
        if (names.Count == 0)
        {
            throw new DomainValidationException("dnsNames", "A request names at least one DNS name or IP address (in the CSR or with dnsNames/ipAddresses).");
        }

        if (names.Count > AuthorityLimits.MaxNamesPerRequest)
        {
            throw new DomainValidationException("dnsNames", $"At most {AuthorityLimits.MaxNamesPerRequest} names per certificate.");
        }

        var violations = ProfilePolicy.Check(profile, draft.Key.Description, names, draft.ValidityDays, now, draft.Key.CsrSignedWithSha1).ToList();
        violations.AddRange(NameOwnership.Violations(tree, draft.DivisionId, names));
        if (violations.Count > 0)
        {
            throw new DomainValidationException(draft.Key.Csr is not null && draft.Kind == RequestKind.New ? "csr" : "dnsNames", string.Join(" ", violations));
        }

        var validityDays = ProfilePolicy.ValidityDays(profile, draft.ValidityDays, now);
        var required = tree.EffectiveApprovalPolicy(draft.DivisionId) switch
        {
            ApprovalPolicy.AutoApprove => 0,
            ApprovalPolicy.TwoApprovers => 2,
            _ => 1,
        };

        // A fresh record for each run of the write below (GroupCommit may run it again after another caller's failure).
        CertificateRequestRecord NewRecord() => new()
        {
            DivisionId = draft.DivisionId,
            AuthorityId = authority.Id,
            Profile = profile.Key,
            Kind = draft.Kind,
            State = RequestState.Pending,
            ReplacesCertificateId = draft.ReplacesCertificateId,
            CommonName = draft.CommonName ?? names.FirstOrDefault(n => n.Type == SubjectAlternativeNameType.Dns)?.Value ?? names[0].Value,
            Names = names.Select(CertificateImporter.FormatSan).ToList(),
            ValidityDays = validityDays,
            NotAfter = draft.NotAfter,
            Csr = draft.Key.Csr,
            PublicKey = draft.Key.SubjectPublicKeyInfo,
            KeyDescription = draft.Key.Summary,
            PrivateKeyReference = draft.Key.PrivateKeyReference,
            Owner = Limit(draft.Owner, InventoryLimits.MaxOwnerLength) ?? scope.Email ?? scope.Actor.Name,
            Comments = Limit(draft.Comments, AuthorityLimits.MaxCommentsLength),
            RequesterId = scope.UserId,
            RequesterName = scope.Actor.Name,
            RequiredApprovals = required,
            CreatedAt = now,
        };

        // Auto-approved: signed before the transaction (CPU work that needs no lock), recorded in it. As when signing
        // inside it, a crash before the commit leaves a certificate that nobody ever received.
        var signed = required == 0 ? await SignAsync(NewRecord(), authority, now, cancellationToken) : null;
        var stored = await groupCommit.RunAsync(async (db, ct) =>
        {
            // Written with prepared SQL (RowWriter), not EF's change tracking: this is the one writer every
            // submission of the server queues for.
            var rows = RowWriter.For(db);
            var request = NewRecord();
            if (signed is not null)
            {
                request.State = RequestState.Approved;
                request.DecidedAt = now;
            }

            request.Id = await rows.InsertAsync(request, ct);
            List<AuditRecord> steps =
            [
                Record("request.submit", request, new
                {
                    kind = request.Kind.ToString(), authority = authority.Name, request.Profile, request.Names, request.ValidityDays, key = request.KeyDescription,
                    generatedKey = request.PrivateKeyReference is not null, requiredApprovals = required, replaces = request.ReplacesCertificateId,
                }),
            ];
            if (signed is not null)
            {
                steps.Add(Record("request.approve", request, new { policy = "auto-approve" }));
            }

            if (signed is not null)
            {
                steps.Add(await RecordIssuanceAsync(db, scope, request, authority, signed, now, ct));
                await rows.UpdateAsync(request, request.Id, [nameof(request.State), nameof(request.CertificateId), nameof(request.IssuedAt), nameof(request.FailureReason)], ct);
            }

            // All of the request's steps in one write: one read of the chain's head, one statement.
            await audit.WriteAsync(db, scope.Actor, steps, ct);

            return request;
        }, cancellationToken);
        return ToDto(stored, tree, authority.Name);
    }

    public async Task<RequestDto> ApproveAsync(AccessScope scope, long id, string channel, CancellationToken cancellationToken)
    {
        scope.DemandNotReadOnly();
        var tree = await access.TreeAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var request = await LockPendingAsync(db, scope, id, cancellationToken);
        if (!scope.CanManage(request.DivisionId))
        {
            throw new ForbiddenException("Only the division's managers and administrators (or those of a division above) approve its requests.");
        }

        if (scope.UserId is not null && scope.UserId == request.RequesterId)
        {
            throw new ForbiddenException("You cannot approve your own request.");
        }

        var approver = scope.Actor.Id ?? scope.Actor.Name;
        if (request.Approvals.Any(a => (a.UserId ?? a.UserName) == approver))
        {
            throw new ConflictException("You approved this request already; it waits for another approver.");
        }

        var now = time.GetUtcNow();
        request.Approvals.Add(new RequestApproval { UserId = scope.UserId, UserName = scope.Actor.Name, Channel = channel, ApprovedAt = now });
        await audit.AppendAsync(db, scope.Actor, Record("request.approve", request,
            new { channel, approvals = request.Approvals.Count, required = request.RequiredApprovals }), cancellationToken);
        if (request.Approvals.Count >= request.RequiredApprovals)
        {
            request.State = RequestState.Approved;
            request.DecidedAt = now;
            var authority = await db.CertificateAuthorities.FirstAsync(a => a.Id == request.AuthorityId, cancellationToken);
            await IssueAsync(db, scope, request, authority, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToDto(request, tree, await AuthorityNameAsync(db, request.AuthorityId, cancellationToken));
    }

    public async Task<RequestDto> RejectAsync(AccessScope scope, long id, string reason, CancellationToken cancellationToken)
    {
        scope.DemandNotReadOnly();
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length is 0 or > AuthorityLimits.MaxCommentsLength)
        {
            throw new DomainValidationException("reason", $"A rejection gives a reason (1 to {AuthorityLimits.MaxCommentsLength} characters): the requester reads it.");
        }

        var tree = await access.TreeAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var request = await LockPendingAsync(db, scope, id, cancellationToken);
        if (!scope.CanManage(request.DivisionId))
        {
            throw new ForbiddenException("Only the division's managers and administrators (or those of a division above) reject its requests.");
        }

        request.State = RequestState.Rejected;
        request.RejectionReason = trimmed;
        request.DecidedAt = time.GetUtcNow();
        await audit.AppendAsync(db, scope.Actor, Record("request.reject", request, new { reason = trimmed }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToDto(request, tree, await AuthorityNameAsync(db, request.AuthorityId, cancellationToken));
    }

    /// <summary>
    /// Takes the request's row for this transaction (a conditional update of its version: PostgreSQL locks the row,
    /// SQLite the database) and reads it afresh. Two approvals of one request thus run one after the other, and the
    /// second sees the first's approval (or that the request is no longer pending): exactly one certificate.
    /// </summary>
    private static async Task<CertificateRequestRecord> LockPendingAsync(CertitudeDbContext db, AccessScope scope, long id, CancellationToken cancellationToken)
    {
        var locked = await db.CertificateRequests.Where(r => r.Id == id && r.State == RequestState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Version, r => r.Version + 1), cancellationToken);
        var request = await db.CertificateRequests.Include(r => r.Approvals).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null || !CanSee(scope, request))
        {
            throw new NotFoundException($"No request {id}.");
        }

        return locked == 1 ? request : throw new ConflictException($"Request {id} is {request.State.ToString().ToLowerInvariant()}, not pending.");
    }

    /// <summary>Signs the approved request at its CA and records the certificate (inventory, issued table) in the caller's transaction.</summary>
    private async Task IssueAsync(CertitudeDbContext db, AccessScope scope, CertificateRequestRecord request, CertificateAuthority authority, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var step = await RecordIssuanceAsync(db, scope, request, authority, await SignAsync(request, authority, now, cancellationToken), now, cancellationToken);
        await audit.WriteAsync(db, scope.Actor, [step], cancellationToken);
    }

    /// <summary>The certificate for the request from its CA's connector, or why there is none. Touches no database.</summary>
    private async Task<SignOutcome> SignAsync(CertificateRequestRecord request, CertificateAuthority authority, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connector = connectors.FirstOrDefault(c => c.Key == authority.Connector);
        var profile = CertificateProfiles.Find(request.Profile);
        if (connector is null || profile is null)
        {
            return new SignOutcome(null, connector is null ? $"No connector '{authority.Connector}' for the CA '{authority.Name}'." : $"The profile '{request.Profile}' no longer exists.");
        }

        if (!authority.IsIssuing || authority.NotAfter <= now)
        {
            return new SignOutcome(null, $"The CA '{authority.Name}' does not issue any more (disabled or expired).");
        }

        var subjectKey = PublicKey.CreateFromSubjectPublicKeyInfo(request.PublicKey, out _);
        // Described from the stored bytes: Describe(subjectKey) would encode the key again only to read it back.
        var description = PublicKeyDescription.Describe(request.PublicKey);
        var notAfter = request.NotAfter ?? now.AddDays(request.ValidityDays);
        var template = new CertificateTemplate
        {
            Subject = SubjectFor(request.CommonName),
            SubjectAlternativeNames = request.Names.Select(ParseStoredName).ToList(),
            NotBefore = now - Backdate,
            // Never beyond the CA's own end: a client would reject the certificate's tail anyway.
            NotAfter = notAfter < authority.NotAfter ? notAfter : authority.NotAfter,
            SerialNumber = CertificateBuilder.NewSerialNumber(),
            KeyUsage = profile.KeyUsageFor(description),
            ExtendedKeyUsages = profile.ExtendedKeyUsages,
            CertificatePolicies = profile.CertificatePolicies,
            CrlDistributionPoints = [urls.Crl(authority.Name)],
            OcspUrls = [urls.Ocsp(authority.Name)],
            CaIssuerUrls = [urls.CaIssuers(authority.Name)],
        };
        try
        {
            var der = await connector.IssueAsync(authority, template, subjectKey, cancellationToken);
            return new SignOutcome(der, null, CertificateReader.ReadFacts(der));
        }
        catch (Exception e) when (e is CryptographicException or InvalidOperationException or ArgumentException)
        {
            logger.LogError(e, "Issuing a certificate for {CommonName} (request {RequestId}) at the CA {Authority} failed", request.CommonName, request.Id, authority.Name);
            return new SignOutcome(null, $"The CA '{authority.Name}' could not issue: {e.Message}");
        }
    }

    /// <summary>
    /// Records the outcome of signing in the caller's transaction: the certificate (inventory, issued table), written
    /// at once, and the request's new state set on <paramref name="request"/>, which the caller saves. Returns the
    /// audit record of the outcome, for the caller to write with the request's other steps.
    /// </summary>
    private static async Task<AuditRecord> RecordIssuanceAsync(CertitudeDbContext db, AccessScope scope, CertificateRequestRecord request, CertificateAuthority authority, SignOutcome signed,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (signed is not { Der: not null, Facts: { } facts })
        {
            request.State = RequestState.Failed;
            request.FailureReason = signed.Failure;
            return Record("request.fail", request, new { reason = signed.Failure });
        }

        var certificateId = await InventoryRecorder.RecordIssuedAsync(db, facts, request.DivisionId, authority.InventoryCertificateId,
            new RecordedSource(CertificateSourceKinds.Issuance, $"request/{request.Id}", scope.Actor.Name), request.Owner, now, cancellationToken);
        await RowWriter.For(db).InsertAsync(new IssuedCertificate
        {
            AuthorityId = authority.Id,
            SerialNumber = facts.SerialNumber,
            CertificateId = certificateId,
            RequestId = request.Id,
            SpkiSha256 = facts.SpkiSha256,
            NotBefore = facts.NotBefore.ToUniversalTime(),
            NotAfter = facts.NotAfter.ToUniversalTime(),
            IssuedAt = now,
        }, cancellationToken);
        request.State = RequestState.Issued;
        request.CertificateId = certificateId;
        request.IssuedAt = now;
        return Record("request.issue", request,
            new { certificateId, serial = facts.SerialNumber, authority = authority.Name, notAfter = facts.NotAfter });
    }

    /// <summary>A signed certificate (and its facts, read once), or why signing failed.</summary>
    private sealed record SignOutcome(byte[]? Der, string? Failure, CertificateFacts? Facts = null);

    public async Task<RequestPage> ListAsync(AccessScope scope, RequestQuery query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > AuthorityLimits.MaxPageSize)
        {
            throw new DomainValidationException("limit", $"limit must be between 1 and {AuthorityLimits.MaxPageSize}.");
        }

        long? before = null;
        if (cursor is not null)
        {
            before = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
                : throw new DomainValidationException("cursor", "The cursor is not one this server gave.");
        }

        var tree = await access.TreeAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = Visible(db, scope);
        if (query.State is { } state)
        {
            rows = rows.Where(r => r.State == state);
        }

        if (query.DivisionId is { } division)
        {
            var subtree = tree.SubtreeOf(division).ToList();
            rows = rows.Where(r => subtree.Contains(r.DivisionId));
        }

        if (query.Mine)
        {
            rows = scope.UserId is { } me ? rows.Where(r => r.RequesterId == me) : rows.Where(r => r.RequesterName == scope.Actor.Name);
        }

        if (query.Approvable)
        {
            // The approval queue: pending, in a division the caller manages, not their own, not yet approved by them.
            var managed = tree.All.Select(d => d.Id).Where(scope.CanManage).ToList();
            var me = scope.UserId;
            rows = rows.Where(r => r.State == RequestState.Pending && managed.Contains(r.DivisionId)
                && (me == null || r.RequesterId != me) && !r.Approvals.Any(a => me != null && a.UserId == me));
        }

        if (before is { } last)
        {
            rows = rows.Where(r => r.Id < last);
        }

        var page = await rows.Include(r => r.Approvals).OrderByDescending(r => r.Id).Take(limit + 1).ToListAsync(cancellationToken);
        var authorities = await db.CertificateAuthorities.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        var items = page.Take(limit).Select(r => ToDto(r, tree, authorities.GetValueOrDefault(r.AuthorityId, "?"))).ToList();
        return new RequestPage(items, page.Count > limit ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<RequestDetails> GetAsync(AccessScope scope, long id, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var request = await db.CertificateRequests.AsNoTracking().Include(r => r.Approvals).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null || !CanSee(scope, request))
        {
            throw new NotFoundException($"No request {id}.");
        }

        var target = id.ToString(CultureInfo.InvariantCulture);
        var history = await db.AuditEntries.AsNoTracking()
            .Where(e => e.TargetType == TargetType && e.TargetId == target)
            .OrderBy(e => e.Sequence)
            .Select(e => new RequestHistoryEntry(e.OccurredAt, e.Action, e.ActorName, e.Details))
            .ToListAsync(cancellationToken);
        var canApprove = request.State == RequestState.Pending && !scope.ReadOnly && scope.CanManage(request.DivisionId)
            && (scope.UserId is null || (scope.UserId != request.RequesterId && request.Approvals.All(a => a.UserId != scope.UserId)));
        return new RequestDetails(ToDto(request, tree, await AuthorityNameAsync(db, request.AuthorityId, cancellationToken)), history, canApprove);
    }

    /// <summary>Median time from request to decision (approved or rejected by people, not auto-approved) per visible division.</summary>
    public async Task<IReadOnlyList<ApprovalTimes>> ApprovalTimesAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var decided = await Visible(db, scope)
            .Where(r => r.RequiredApprovals > 0 && r.DecidedAt != null)
            .Select(r => new { r.DivisionId, r.CreatedAt, r.DecidedAt })
            .ToListAsync(cancellationToken);
        return decided.GroupBy(r => r.DivisionId)
            .Select(g =>
            {
                var minutes = g.Select(r => (r.DecidedAt!.Value - r.CreatedAt).TotalMinutes).Order().ToList();
                var median = minutes.Count % 2 == 1 ? minutes[minutes.Count / 2] : (minutes[(minutes.Count / 2) - 1] + minutes[minutes.Count / 2]) / 2;
                return new ApprovalTimes(g.Key, tree.PathName(g.Key), minutes.Count, Math.Round(median, 1));
            })
            .OrderBy(t => t.Division, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Requests the caller may see: in their readable divisions, and always their own (a guest sees only those).</summary>
    private static IQueryable<CertificateRequestRecord> Visible(CertitudeDbContext db, AccessScope scope)
    {
        var rows = db.CertificateRequests.AsNoTracking();
        if (scope.ReadableDivisions is not { } divisions)
        {
            return rows;
        }

        var me = scope.UserId;
        return rows.Where(r => divisions.Contains(r.DivisionId) || (me != null && r.RequesterId == me));
    }

    private static bool CanSee(AccessScope scope, CertificateRequestRecord request) =>
        scope.CanRead(request.DivisionId) || (scope.UserId is not null && scope.UserId == request.RequesterId);

    /// <summary>Users and above request in their divisions; a guest only in the one they were invited to.</summary>
    public static bool MayRequestIn(AccessScope scope, long divisionId) =>
        scope.CanContribute(divisionId) || (scope.GuestDivision == divisionId && !scope.ReadOnly);

    /// <summary>The division asked for (the caller must be able to request there), or the caller's own.</summary>
    internal static long ResolveDivision(AccessScope scope, DivisionTree tree, long? requested)
    {
        if (requested is { } id)
        {
            if (tree.Find(id) is null || !(scope.HasAnyRole(id)))
            {
                throw new NotFoundException($"No division {id}.");
            }

            return MayRequestIn(scope, id) ? id
                : throw new ForbiddenException("You may not request certificates in this division.");
        }

        if (scope.GuestDivision is { } guest)
        {
            return guest;
        }

        var own = tree.All.Where(d => scope.CanContribute(d.Id)).OrderBy(d => tree.PathToRoot(d.Id).Count()).ThenBy(d => d.Id).FirstOrDefault();
        return own?.Id ?? throw new ForbiddenException("You may not request certificates in any division.");
    }

    /// <summary>The CA: the one the replaced certificate came from, else the division's default (inherited), else the only issuing CA.</summary>
    private static async Task<CertificateAuthority> ResolveAuthorityAsync(CertitudeDbContext db, DivisionTree tree, RequestDraft draft, CancellationToken cancellationToken)
    {
        if (draft.AuthorityId is { } fixedId)
        {
            var original = await db.CertificateAuthorities.AsNoTracking().FirstAsync(a => a.Id == fixedId, cancellationToken);
            if (original.IsIssuing)
            {
                return original;
            }
        }

        var configured = tree.PathToRoot(draft.DivisionId).Select(d => d.DefaultAuthority).FirstOrDefault(a => !string.IsNullOrWhiteSpace(a));
        if (configured is not null)
        {
            var authority = await db.CertificateAuthorities.AsNoTracking().FirstOrDefaultAsync(a => a.Name == configured, cancellationToken);
            return authority is { IsIssuing: true } ? authority
                : throw new DomainValidationException("divisionId", $"The division's CA '{configured}' does not exist or does not issue; an administrator sets another.");
        }

        var issuing = await db.CertificateAuthorities.AsNoTracking().Where(a => a.IsIssuing).OrderBy(a => a.Id).Take(2).ToListAsync(cancellationToken);
        return issuing.Count switch
        {
            1 => issuing[0],
            0 => throw new DomainValidationException("divisionId", "No CA issues certificates yet: an administrator creates one (certitude ca create)."),
            _ => throw new DomainValidationException("divisionId", "Several CAs issue certificates and the division names none: an administrator sets the division's default CA."),
        };
    }

    private static CertificateProfile ResolveProfile(DivisionTree tree, RequestDraft draft)
    {
        var key = draft.Profile ?? tree.PathToRoot(draft.DivisionId).Select(d => d.DefaultProfile).FirstOrDefault(p => !string.IsNullOrWhiteSpace(p))
            ?? CertificateProfiles.TlsServer.Key;
        return CertificateProfiles.Find(key.Trim())
            ?? throw new DomainValidationException("profile", $"No profile '{key}' (there are {string.Join(", ", CertificateProfiles.All.Select(p => p.Key))}).");
    }

    /// <summary>The subject key from a CSR, a new server-generated key, or (renewals) the one kept.</summary>
    internal Task<SubjectKey> ResolveKeyAsync(SigningRequest? csr, SigningKeyType? generate, SubjectKey? kept, CancellationToken cancellationToken)
    {
        if (csr is not null && generate is not null)
        {
            throw new DomainValidationException("generateKey", "Give a CSR or ask for a generated key, not both.");
        }

        if (csr is not null)
        {
            return Task.FromResult(new SubjectKey(csr.PublicKey.ExportSubjectPublicKeyInfo(), csr.Key, csr.SignedWithSha1, csr.Der, null));
        }

        if (generate is { } type)
        {
            if (type == SigningKeyType.Ed25519)
            {
                throw new DomainValidationException("generateKey", "Generated keys are EC or RSA: PKCS#12 files cannot carry an Ed25519 key for most clients. Send a CSR for an Ed25519 key.");
            }

            using var key = SigningKey.Generate(type);
            var spki = key.PublicKey.ExportSubjectPublicKeyInfo();
            var sealedKey = keys.DefaultStore.Store(key, SubscriberKeyPurpose(spki));
            return Task.FromResult(new SubjectKey(spki, new PublicKeyDescription(key.Algorithm, key.Size, key.Curve), false, null, sealedKey));
        }

        return kept is not null ? Task.FromResult(kept)
            : throw new DomainValidationException("csr", "A request needs a CSR (csr) or a generated key (generateKey).");
    }

    internal static string SubscriberKeyPurpose(byte[] subjectPublicKeyInfo) => $"subscriber-key:{Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))}";

    internal static SigningRequest ReadCsr(string text)
    {
        byte[] bytes;
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            bytes = Encoding.ASCII.GetBytes(text);
        }
        else
        {
            try
            {
                bytes = Convert.FromBase64String(text.Trim());
            }
            catch (FormatException)
            {
                throw new DomainValidationException("csr", "The CSR is neither PEM nor base64-encoded DER.");
            }
        }

        try
        {
            return SigningRequestReader.Read(bytes);
        }
        catch (SigningRequestException e)
        {
            throw new DomainValidationException("csr", e.Message);
        }
    }

    internal static IEnumerable<SubjectAlternativeName> ParseNames(IReadOnlyList<string>? dnsNames, IReadOnlyList<string>? ipAddresses)
    {
        foreach (var dns in dnsNames ?? [])
        {
            if (!string.IsNullOrWhiteSpace(dns))
            {
                yield return new SubjectAlternativeName(SubjectAlternativeNameType.Dns, dns.Trim().ToLowerInvariant());
            }
        }

        foreach (var ip in ipAddresses ?? [])
        {
            if (!string.IsNullOrWhiteSpace(ip))
            {
                yield return IPAddress.TryParse(ip.Trim(), out var address)
                    ? new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, address.ToString())
                    : throw new DomainValidationException("ipAddresses", $"'{ip}' is not an IP address.");
            }
        }
    }

    /// <summary>Back from the stored form ("DNS:a.example", "IP Address:10.0.0.1").</summary>
    internal static SubjectAlternativeName ParseStoredName(string stored) =>
        stored.StartsWith("IP Address:", StringComparison.Ordinal)
            ? new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, stored["IP Address:".Length..])
            : stored.StartsWith("email:", StringComparison.Ordinal)
                ? new SubjectAlternativeName(SubjectAlternativeNameType.Email, stored["email:".Length..])
                : stored.StartsWith("URI:", StringComparison.Ordinal)
                    ? new SubjectAlternativeName(SubjectAlternativeNameType.Uri, stored["URI:".Length..])
                    : new SubjectAlternativeName(SubjectAlternativeNameType.Dns, stored.StartsWith("DNS:", StringComparison.Ordinal) ? stored[4..] : stored);

    /// <summary>CN only: everything else a subscriber could claim in a DN is unverified (CA/B BR 7.1.4.2).</summary>
    private static X500DistinguishedName SubjectFor(string? commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        if (commonName is { Length: > 0 and <= 64 })
        {
            builder.AddCommonName(commonName);
        }

        return builder.Build();
    }

    private static SubjectAlternativeName Canonical(SubjectAlternativeName name) => name.Type switch
    {
        SubjectAlternativeNameType.Dns => name with { Value = name.Value.Trim().TrimEnd('.').ToLowerInvariant() },
        SubjectAlternativeNameType.IpAddress when IPAddress.TryParse(name.Value, out var address) => name with { Value = address.ToString() },
        _ => name,
    };

    private static string? Limit(string? value, int max) =>
        value?.Trim() is not { Length: > 0 } trimmed ? null
        : trimmed.Length <= max ? trimmed : throw new DomainValidationException("comments", $"Limited to {max} characters.");

    private static AuditRecord Record(string action, CertificateRequestRecord request, object details) =>
        new(action, TargetType, request.Id.ToString(CultureInfo.InvariantCulture), request.DivisionId, details);

    private static async Task<string> AuthorityNameAsync(CertitudeDbContext db, long id, CancellationToken cancellationToken) =>
        await db.CertificateAuthorities.Where(a => a.Id == id).Select(a => a.Name).FirstAsync(cancellationToken);

    internal static RequestDto ToDto(CertificateRequestRecord r, DivisionTree tree, string authority) => new(
        r.Id, r.DivisionId, tree.PathName(r.DivisionId), authority, r.Profile, r.Kind, r.State, r.CommonName, r.Names, r.ValidityDays, r.NotAfter,
        r.KeyDescription, r.PrivateKeyReference is not null, r.Owner, r.Comments, r.RequesterName, r.RequiredApprovals,
        r.Approvals.OrderBy(a => a.ApprovedAt).Select(a => new ApprovalDto(a.UserName, a.Channel, a.ApprovedAt)).ToList(),
        r.RejectionReason, r.FailureReason, r.CertificateId, r.ReplacesCertificateId, r.CreatedAt, r.DecidedAt, r.IssuedAt);
}
