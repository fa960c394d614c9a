namespace Certitude.Features.Authority;

/// <summary>
/// A CA that Certitude issues through. The built-in connector holds the key (sealed by the key store); other
/// connectors (ACME, later) hold an account instead. Roots are usually kept offline (<see cref="IsIssuing"/> false)
/// and sign only the issuing CAs below them.
/// </summary>
public sealed class CertificateAuthority
{
    public long Id { get; set; }

    /// <summary>Stable, URL-safe name: <c>/crl/{name}.crl</c>, <c>/ocsp/{name}</c>, division defaults.</summary>
    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Connector key: see <see cref="Connectors.CaConnectorKeys"/>.</summary>
    public required string Connector { get; set; }

    /// <summary>The CA that signed this one, when it is Certitude's too.</summary>
    public long? ParentId { get; set; }

    /// <summary>Accepts certificate requests (an online issuing CA).</summary>
    public bool IsIssuing { get; set; }

    public required byte[] CertificateDer { get; set; }

    /// <summary>The same certificate's record in the inventory.</summary>
    public long InventoryCertificateId { get; set; }

    public required string Subject { get; set; }
    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset NotAfter { get; set; }
    public required string KeyAlgorithm { get; set; }

    /// <summary>Which <see cref="Keys.ICaKeyStore"/> keeps the key, and its reference there.</summary>
    public string? KeyStore { get; set; }

    public byte[]? KeyReference { get; set; }

    /// <summary>Number of the last CRL published (RFC 5280 §5.2.3: monotonically increasing).</summary>
    public long CrlNumber { get; set; }

    public byte[]? CrlDer { get; set; }
    public DateTimeOffset? CrlNextUpdate { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
