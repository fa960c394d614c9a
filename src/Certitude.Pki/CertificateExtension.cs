namespace Certitude.Pki;

/// <summary>One certificate extension (RFC 5280 §4.1.2.9), not yet interpreted.</summary>
/// <param name="Oid">extnID in dotted form.</param>
/// <param name="Critical">The critical flag.</param>
/// <param name="Value">The contents of extnValue: the DER encoding of the extension's own structure.</param>
internal sealed record CertificateExtension(string Oid, bool Critical, ReadOnlyMemory<byte> Value);
