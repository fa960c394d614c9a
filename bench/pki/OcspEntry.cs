namespace Certitude.Bench.Pki;

/// <summary>
/// A certificate the OCSP requests ask about, and what a responder must answer for it: Serial holds the serial
/// number's content octets (big-endian); RevokedAt is when Certitude revoked it (null: good).
/// </summary>
internal sealed record OcspEntry(byte[] Serial, string Subject, DateTimeOffset NotAfter, DateTimeOffset? RevokedAt, string? Reason);
