namespace Certitude.Pki.Issuance;

/// <summary>One kind of public key a <see cref="CertificateProfile"/> accepts.</summary>
/// <param name="Algorithm">The algorithm as <see cref="PublicKeyDescription.Algorithm"/> names it: "RSA", "EC",
/// "Ed25519".</param>
/// <param name="MinimumSize">Smallest accepted size in bits, as <see cref="PublicKeyDescription.Size"/> gives it (the RSA
/// modulus length, the EC field size, 255 for Ed25519).</param>
/// <param name="MaximumSize">Largest accepted size in bits. An upper bound keeps out keys that relying parties refuse or
/// handle slowly (RSA above 4096 bits is outside what the CA/Browser Forum's root programs expect).</param>
/// <param name="Curves">For EC keys, the accepted named curves ("P-256", "P-384"); null when the algorithm has no curve
/// choice.</param>
public sealed record KeyRule(string Algorithm, int MinimumSize, int MaximumSize, IReadOnlyList<string>? Curves);
