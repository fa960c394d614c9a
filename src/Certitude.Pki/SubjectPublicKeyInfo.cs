namespace Certitude.Pki;

/// <summary>A SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) as found in a certificate.</summary>
/// <param name="Encoded">The whole structure's encoding, the input of SPKI pins.</param>
/// <param name="Algorithm">The key's algorithm and parameters.</param>
/// <param name="Key">The subjectPublicKey BIT STRING's bytes (an RSAPublicKey, an EC point, a raw EdDSA key, ...).</param>
internal sealed record SubjectPublicKeyInfo(ReadOnlyMemory<byte> Encoded, AlgorithmIdentifier Algorithm, ReadOnlyMemory<byte> Key);
