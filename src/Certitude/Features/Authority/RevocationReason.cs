using System.Text.Json.Serialization;

namespace Certitude.Features.Authority;

/// <summary>
/// The RFC 5280 §5.3.1 CRLReason codes a revocation may give (values are the codes). certificateHold and
/// removeFromCRL are left out: Certitude's revocations are final, as the CA/Browser Forum requires (BR 4.9.1).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<RevocationReason>))]
public enum RevocationReason
{
    Unspecified = 0,
    KeyCompromise = 1,
    CaCompromise = 2,
    AffiliationChanged = 3,
    Superseded = 4,
    CessationOfOperation = 5,
    PrivilegeWithdrawn = 9,
}
