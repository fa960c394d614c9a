namespace Certitude.Pki;

/// <summary>An AlgorithmIdentifier (RFC 5280 §4.1.1.2): the OID and, when present, the encoded parameters.</summary>
/// <param name="Oid">The algorithm OID in dotted form.</param>
/// <param name="Parameters">The parameters' full encoding (tag, length, value); null when absent.</param>
internal sealed record AlgorithmIdentifier(string Oid, ReadOnlyMemory<byte>? Parameters);
