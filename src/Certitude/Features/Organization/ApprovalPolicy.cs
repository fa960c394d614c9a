using System.Text.Json.Serialization;

namespace Certitude.Features.Organization;

/// <summary>How many people must approve a certificate request in a division.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalPolicy>))]
public enum ApprovalPolicy
{
    AutoApprove,
    OneApprover,
    TwoApprovers,
}
