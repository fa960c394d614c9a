using Certitude.Features.Audit;
using Certitude.Hosting;

namespace Certitude.Features.Organization;

/// <summary>
/// What one caller may do, resolved once per request from their role assignments (expanded down the division tree)
/// and, for an API key, narrowed to the key's divisions and read-only flag. Services take a scope and check it;
/// lists filter by it, so nothing from another division is ever counted, listed or named in an error.
/// Immutable: one scope, resolved once per access stamp, is shared by every request of its user or key
/// (<see cref="AccessCache"/>), each with its own source address (<see cref="WithSourceAddress"/>).
/// </summary>
public sealed class AccessScope
{
    private readonly Dictionary<OrganizationRole, HashSet<long>> _divisionsByRole;

    internal AccessScope(Actor actor, bool isOrganizationAdministrator, bool readOnly, Dictionary<OrganizationRole, HashSet<long>> divisionsByRole,
        string? email, long? guestDivision)
    {
        Actor = actor;
        IsOrganizationAdministrator = isOrganizationAdministrator;
        ReadOnly = readOnly;
        _divisionsByRole = divisionsByRole;
        Email = email;
        GuestDivision = guestDivision;
    }

    internal const string HttpContextItem = "certitude.access-scope";

    /// <summary>Minimal API binding: the scope resolved when the request was authenticated.</summary>
    public static ValueTask<AccessScope?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<AccessScope?>(context.Items[HttpContextItem] as AccessScope
            ?? throw new UnauthorizedAccessException("The request is not authenticated."));

    /// <summary>The same scope acting from another address (the request's), sharing everything else.</summary>
    public AccessScope WithSourceAddress(string? sourceAddress) => sourceAddress == Actor.SourceAddress
        ? this
        : new(Actor with { SourceAddress = sourceAddress }, IsOrganizationAdministrator, ReadOnly, _divisionsByRole, Email, GuestDivision);

    /// <summary>The local CLI and the system itself: everything, everywhere.</summary>
    public static AccessScope Unrestricted(Actor actor) => new(actor, true, false, [], null, null);

    public Actor Actor { get; }

    public string? UserId => Actor.Id;

    public string? Email { get; }

    /// <summary>Administrator of the root division: organization-wide settings, users, CAs.</summary>
    public bool IsOrganizationAdministrator { get; }

    /// <summary>An API key limited to reading.</summary>
    public bool ReadOnly { get; }

    /// <summary>For a guest: the one division they may request in.</summary>
    public long? GuestDivision { get; }

    public bool IsGuest => GuestDivision is not null;

    /// <summary>Divisions whose certificates and objects the caller may see; null means all.</summary>
    public IReadOnlySet<long>? ReadableDivisions => IsOrganizationAdministrator ? null : Union(OrganizationRole.Administrator, OrganizationRole.Manager, OrganizationRole.User, OrganizationRole.Auditor);

    /// <summary>Divisions whose audit log the caller may read; null means all.</summary>
    public IReadOnlySet<long>? AuditableDivisions => IsOrganizationAdministrator ? null : Union(OrganizationRole.Administrator, OrganizationRole.Auditor);

    public bool CanRead(long divisionId) => ReadableDivisions?.Contains(divisionId) ?? true;

    /// <summary>Manage every certificate (edit, delete, approve) in the division.</summary>
    public bool CanManage(long divisionId) => !ReadOnly && (IsOrganizationAdministrator || Has(divisionId, OrganizationRole.Administrator, OrganizationRole.Manager));

    /// <summary>Bring certificates in and request them.</summary>
    public bool CanContribute(long divisionId) => !ReadOnly && (IsOrganizationAdministrator || Has(divisionId, OrganizationRole.Administrator, OrganizationRole.Manager, OrganizationRole.User));

    /// <summary>Create, change and remove divisions below, and grant roles in, this division.</summary>
    public bool CanAdminister(long divisionId) => !ReadOnly && (IsOrganizationAdministrator || Has(divisionId, OrganizationRole.Administrator));

    public bool CanReadAudit(long? divisionId) => IsOrganizationAdministrator || (divisionId is { } id && Has(id, OrganizationRole.Administrator, OrganizationRole.Auditor));

    /// <summary>Edit a certificate: managers, or a user who owns it (owner is their e-mail or user name).</summary>
    public bool CanEditCertificate(long divisionId, string? owner) =>
        CanManage(divisionId) || (CanContribute(divisionId) && owner is not null
            && (string.Equals(owner, Email, StringComparison.OrdinalIgnoreCase) || string.Equals(owner, Actor.Name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Any role at all in the division (for listing the tree).</summary>
    public bool HasAnyRole(long divisionId) => IsOrganizationAdministrator || _divisionsByRole.Values.Any(set => set.Contains(divisionId));

    public void DemandNotReadOnly()
    {
        if (ReadOnly)
        {
            throw new ForbiddenException("This API key is read-only.");
        }
    }

    /// <summary>Organization administrators, read-only keys of theirs included.</summary>
    public void DemandOrganizationAdministratorToRead()
    {
        if (!IsOrganizationAdministrator)
        {
            throw new ForbiddenException("Only an organization administrator may see this.");
        }
    }

    public void DemandOrganizationAdministrator()
    {
        if (!IsOrganizationAdministrator || ReadOnly)
        {
            throw new ForbiddenException("Only an organization administrator may do this.");
        }
    }

    private bool Has(long divisionId, params OrganizationRole[] roles) =>
        roles.Any(role => _divisionsByRole.TryGetValue(role, out var set) && set.Contains(divisionId));

    private HashSet<long> Union(params OrganizationRole[] roles)
    {
        var result = new HashSet<long>();
        foreach (var role in roles)
        {
            if (_divisionsByRole.TryGetValue(role, out var set))
            {
                result.UnionWith(set);
            }
        }

        return result;
    }
}
