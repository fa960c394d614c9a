namespace Certitude.Pki;

/// <summary>Validation level asserted by a certificate's policies (CA/Browser Forum Baseline Requirements §7.1.6.1).</summary>
public enum ValidationLevel
{
    /// <summary>No CA/B Forum policy OID present.</summary>
    Unknown,
    /// <summary>Domain validated, 2.23.140.1.2.1.</summary>
    DomainValidated,
    /// <summary>Organization validated, 2.23.140.1.2.2.</summary>
    OrganizationValidated,
    /// <summary>Individual validated, 2.23.140.1.2.3.</summary>
    IndividualValidated,
    /// <summary>Extended validation, 2.23.140.1.1.</summary>
    ExtendedValidation,
}
