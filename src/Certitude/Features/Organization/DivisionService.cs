using System.Net;
using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Certitude.Features.Organization;

/// <summary>The division tree: create, change, move, delete, with every change audited.</summary>
public sealed class DivisionService(IDbContextFactory<CertitudeDbContext> contexts, AccessService access, AuditLog audit, TimeProvider time)
{
    public const string RootName = "Organization";

    /// <summary>The divisions the caller has a role in, with their ancestors so the tree reads from the top.</summary>
    public async Task<IReadOnlyList<DivisionDto>> ListAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        var visible = tree.All.Where(d => scope.HasAnyRole(d.Id)).SelectMany(d => tree.PathToRoot(d.Id)).DistinctBy(d => d.Id);
        return visible.OrderBy(d => tree.PathName(d.Id), StringComparer.OrdinalIgnoreCase).Select(d => ToDto(tree, d)).ToList();
    }

    public async Task<DivisionDto> GetAsync(AccessScope scope, long id, CancellationToken cancellationToken)
    {
        var tree = await access.TreeAsync(cancellationToken);
        var division = tree.Find(id);
        if (division is null || !scope.HasAnyRole(id))
        {
            throw new NotFoundException($"No division {id}.");
        }

        return ToDto(tree, division);
    }

    /// <summary>Creates the root division on a fresh database; returns its id either way.</summary>
    public async Task<long> EnsureRootAsync(CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var root = await db.Divisions.Where(d => d.ParentId == null).OrderBy(d => d.Id).FirstOrDefaultAsync(cancellationToken);
        if (root is not null)
        {
            return root.Id;
        }

        var now = time.GetUtcNow();
        root = new Division { Name = RootName, ApprovalPolicy = ApprovalPolicy.OneApprover, CreatedAt = now, UpdatedAt = now };
        db.Divisions.Add(root);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, Actor.System, new AuditRecord("division.create", "division", root.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), root.Id, new { root.Name }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return root.Id;
    }

    public async Task<DivisionDto> CreateAsync(AccessScope scope, DivisionInput input, CancellationToken cancellationToken)
    {
        if (input.ParentId is not { } parentId)
        {
            throw new DomainValidationException("parentId", "A division is created under a parent division.");
        }

        var name = RequireName(input.Name);
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tree = new DivisionTree(await db.Divisions.AsNoTracking().ToListAsync(cancellationToken));
        if (tree.Find(parentId) is null || !scope.HasAnyRole(parentId))
        {
            throw new NotFoundException($"No division {parentId}.");
        }

        RequireAdministrator(scope, parentId);
        if (tree.PathToRoot(parentId).Count() >= OrganizationLimits.MaxTreeDepth)
        {
            throw new DomainValidationException("parentId", $"Divisions nest at most {OrganizationLimits.MaxTreeDepth} deep.");
        }

        RequireUniqueName(tree, parentId, name, null);
        var now = time.GetUtcNow();
        var division = new Division { ParentId = parentId, Name = name, CreatedAt = now, UpdatedAt = now };
        Apply(division, input);
        db.Divisions.Add(division);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("division.create", "division", Id(division), division.Id,
            new { after = Snapshot(division) }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToDto(new DivisionTree([.. tree.All, division]), division);
    }

    public async Task<DivisionDto> UpdateAsync(AccessScope scope, long id, DivisionInput input, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var division = await FindAsync(db, scope, id, cancellationToken);
        RequireAdministrator(scope, id);
        var before = Snapshot(division);
        if (input.Name is not null)
        {
            var name = RequireName(input.Name);
            var tree = new DivisionTree(await db.Divisions.AsNoTracking().ToListAsync(cancellationToken));
            if (division.ParentId is { } parent)
            {
                RequireUniqueName(tree, parent, name, id);
            }

            division.Name = name;
        }

        Apply(division, input);
        division.UpdatedAt = time.GetUtcNow();
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("division.update", "division", Id(division), division.Id,
            new { before, after = Snapshot(division) }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToDto(await access.TreeAsync(cancellationToken), division);
    }

    /// <summary>Moves a division (with its sub-tree) under another parent; refuses cycles.</summary>
    public async Task<DivisionDto> MoveAsync(AccessScope scope, long id, long newParentId, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var division = await FindAsync(db, scope, id, cancellationToken);
        var tree = new DivisionTree(await db.Divisions.AsNoTracking().ToListAsync(cancellationToken));
        if (tree.Find(newParentId) is null || !scope.HasAnyRole(newParentId))
        {
            throw new NotFoundException($"No division {newParentId}.");
        }

        if (division.ParentId is null)
        {
            throw new DomainValidationException("id", "The organization (root division) cannot be moved.");
        }

        RequireAdministrator(scope, id);
        RequireAdministrator(scope, newParentId);
        if (tree.SubtreeOf(id).Contains(newParentId))
        {
            throw new DomainValidationException("newParentId", "A division cannot move under itself or one of its own sub-divisions.");
        }

        RequireUniqueName(tree, newParentId, division.Name, id);
        var oldParent = division.ParentId;
        division.ParentId = newParentId;
        division.UpdatedAt = time.GetUtcNow();
        await audit.AppendAsync(db, scope.Actor, new AuditRecord("division.move", "division", Id(division), division.Id,
            new { before = new { parentId = oldParent }, after = new { parentId = newParentId } }), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToDto(await access.TreeAsync(cancellationToken), division);
    }

    /// <summary>Deletes an empty division: no sub-divisions and nothing that belongs to it.</summary>
    public async Task DeleteAsync(AccessScope scope, long id, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var division = await FindAsync(db, scope, id, cancellationToken);
        if (division.ParentId is null)
        {
            throw new DomainValidationException("id", "The organization (root division) cannot be deleted.");
        }

        RequireAdministrator(scope, id);
        if (await db.Divisions.AnyAsync(d => d.ParentId == id, cancellationToken))
        {
            throw new ConflictException("The division has sub-divisions: move or delete them first.");
        }

        var certificates = await db.Certificates.IgnoreQueryFilters().CountAsync(c => c.DivisionId == id, cancellationToken);
        if (certificates > 0)
        {
            throw new ConflictException($"The division still owns {certificates} certificates: move them to another division first.");
        }

        await audit.AppendAsync(db, scope.Actor, new AuditRecord("division.delete", "division", Id(division), division.ParentId,
            new { before = Snapshot(division) }), cancellationToken);
        db.Divisions.Remove(division);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<Division> FindAsync(CertitudeDbContext db, AccessScope scope, long id, CancellationToken cancellationToken)
    {
        var division = await db.Divisions.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return division is null || !scope.HasAnyRole(id) ? throw new NotFoundException($"No division {id}.") : division;
    }

    private static void RequireAdministrator(AccessScope scope, long divisionId)
    {
        if (!scope.CanAdminister(divisionId))
        {
            throw new ForbiddenException("Only an administrator of this division may change its divisions.");
        }
    }

    private static string RequireName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        return trimmed.Length is 0 or > OrganizationLimits.MaxNameLength
            ? throw new DomainValidationException("name", $"A division needs a name of 1 to {OrganizationLimits.MaxNameLength} characters.")
            : trimmed;
    }

    private static void RequireUniqueName(DivisionTree tree, long parentId, string name, long? except)
    {
        if (tree.ChildrenOf(parentId).Any(d => d.Id != except && string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ConflictException($"There is already a division '{name}' there.");
        }
    }

    private static void Apply(Division division, DivisionInput input)
    {
        if (input.Description is not null)
        {
            division.Description = Limit("description", input.Description, OrganizationLimits.MaxDescriptionLength);
        }

        if (input.Contacts is not null)
        {
            division.Contacts = Limit("contacts", input.Contacts, OrganizationLimits.MaxDescriptionLength);
        }

        if (input.Domains is not null)
        {
            division.Domains = NormalizeDomains(input.Domains);
        }

        if (input.IpRanges is not null)
        {
            division.IpRanges = NormalizeRanges(input.IpRanges);
        }

        if (input.InheritApprovalPolicy)
        {
            division.ApprovalPolicy = division.ParentId is null ? ApprovalPolicy.OneApprover : null;
        }
        else if (input.ApprovalPolicy is { } policy)
        {
            division.ApprovalPolicy = policy;
        }

        if (input.DefaultAuthority is not null)
        {
            division.DefaultAuthority = input.DefaultAuthority.Trim() is { Length: > 0 } authority ? Limit("defaultAuthority", authority, 128) : null;
        }

        if (input.DefaultProfile is not null)
        {
            division.DefaultProfile = input.DefaultProfile.Trim() is { Length: > 0 } profile ? Limit("defaultProfile", profile, 128) : null;
        }
    }

    private static string? Limit(string field, string value, int max)
    {
        var trimmed = value.Trim();
        return trimmed.Length > max ? throw new DomainValidationException(field, $"{field} is limited to {max} characters.")
            : trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>Domains as lowercase names, optionally with a leading "*." (RFC 1035 labels, 253 characters).</summary>
    internal static List<string> NormalizeDomains(IEnumerable<string> domains)
    {
        var result = new List<string>();
        foreach (var raw in domains)
        {
            var domain = raw.Trim().TrimEnd('.').ToLowerInvariant();
            var name = domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain;
            var labels = name.Split('.');
            if (name.Length is 0 or > 253 || labels.Length < 2
                || labels.Any(l => l.Length is 0 or > 63 || l.StartsWith('-') || l.EndsWith('-') || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
            {
                throw new DomainValidationException("domains", $"'{raw}' is not a domain name (example.com or *.corp.example.com).");
            }

            if (!result.Contains(domain))
            {
                result.Add(domain);
            }
        }

        return result.Count > OrganizationLimits.MaxDomainsPerDivision
            ? throw new DomainValidationException("domains", $"At most {OrganizationLimits.MaxDomainsPerDivision} domains per division.")
            : result;
    }

    /// <summary>IP ranges in CIDR notation (a bare address means a /32 or /128), canonicalized.</summary>
    internal static List<string> NormalizeRanges(IEnumerable<string> ranges)
    {
        var result = new List<string>();
        foreach (var raw in ranges)
        {
            var text = raw.Trim();
            if (!IPNetwork.TryParse(text, out var network))
            {
                if (!IPAddress.TryParse(text, out var address))
                {
                    throw new DomainValidationException("ipRanges", $"'{raw}' is not an IP range (10.0.0.0/8, 2001:db8::/32 or an address).");
                }

                network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            }

            var canonical = network.ToString();
            if (!result.Contains(canonical))
            {
                result.Add(canonical);
            }
        }

        return result.Count > OrganizationLimits.MaxRangesPerDivision
            ? throw new DomainValidationException("ipRanges", $"At most {OrganizationLimits.MaxRangesPerDivision} ranges per division.")
            : result;
    }

    private static object Snapshot(Division d) => new
    {
        d.Name, d.ParentId, d.Description, d.Contacts, d.Domains, d.IpRanges, d.ApprovalPolicy, d.DefaultAuthority, d.DefaultProfile,
    };

    private static string Id(Division d) => d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static DivisionDto ToDto(DivisionTree tree, Division d) => new(d.Id, d.ParentId, d.Name, tree.PathName(d.Id), d.Description, d.Contacts,
        d.Domains, d.IpRanges, d.ApprovalPolicy, tree.EffectiveApprovalPolicy(d.Id), d.DefaultAuthority, d.DefaultProfile);
}
