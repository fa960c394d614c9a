using System.ComponentModel.DataAnnotations;

namespace Certitude.Features.Authority;

/// <summary>Configuration section "Authority" (environment: CERTITUDE_Authority__Key).</summary>
public sealed class AuthorityOptions
{
    public const string SectionName = "Authority";

    /// <summary>
    /// The address relying parties reach this server at, put into issued certificates as the CRL distribution
    /// point, OCSP responder and CA-issuers URLs (e.g. <c>http://pki.example.com</c>). Without it, the first address
    /// the server listens on. Plain HTTP is the norm here (RFC 5280 §4.2.1.13, RFC 6960 Appendix A): clients
    /// checking revocation must not need TLS to do so.
    /// </summary>
    [Url]
    public string? PublicUrl { get; set; }

    /// <summary>How long a CRL is valid (its nextUpdate); a new one is published at half of this at the latest.</summary>
    [Range(1, 24 * 90)]
    public int CrlValidityHours { get; set; } = 7 * 24;

    /// <summary>How long an OCSP response may be cached by clients (its nextUpdate).</summary>
    [Range(1, 24 * 7)]
    public int OcspValidityHours { get; set; } = 24;

    /// <summary>
    /// How long this server answers OCSP from memory — signed responses to requests without a nonce (RFC 5019's
    /// pre-produced responses) and the statuses behind them — before it reads the database and signs again. A
    /// revocation made through this server clears its CA's entries at once; other server nodes over the same database
    /// (and a server beside a local <c>certitude cert revoke</c>) answer the new status within this many seconds, well
    /// inside the responses' own validity that clients cache them for. 0 turns the cache off.
    /// </summary>
    [Range(0, 3600)]
    public int OcspCacheSeconds { get; set; } = 60;

    /// <summary>How long the one-click approval link of an approval message stays valid.</summary>
    [Range(1, 24 * 30)]
    public int ApprovalLinkHours { get; set; } = 72;
}
