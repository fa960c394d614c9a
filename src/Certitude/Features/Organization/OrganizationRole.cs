using System.Text.Json.Serialization;

namespace Certitude.Features.Organization;

/// <summary>Roles, granted per division and inherited by its sub-divisions.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrganizationRole>))]
public enum OrganizationRole
{
    /// <summary>Everything; on the root division, also organization-wide settings, users and CAs.</summary>
    Administrator,

    /// <summary>Approves requests and manages certificates in the division.</summary>
    Manager,

    /// <summary>Requests certificates and manages the ones they own.</summary>
    User,

    /// <summary>Reads everything in the division, the audit log included; changes nothing.</summary>
    Auditor,

    /// <summary>Temporary: submits requests in one division and sees only their own requests.</summary>
    Guest,
}
