namespace Certitude.Pki.Ocsp;

/// <summary>What a responder needs from an OCSP request (RFC 6960 §4.1.1).</summary>
/// <param name="Certificates">The CertID of every single request, in request order (at least one).</param>
/// <param name="Nonce">
/// The nonce value from the id-pkix-ocsp-nonce request extension (RFC 8954 §2.1: the content of the Nonce OCTET STRING,
/// 1–32 bytes), to echo with <see cref="OcspResponseSigner.Sign"/>; null when the request has none.
/// </param>
public sealed record OcspRequestInfo(IReadOnlyList<OcspCertificateId> Certificates, byte[]? Nonce);
