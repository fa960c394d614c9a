namespace Certitude.Pki;

/// <summary>One AttributeTypeAndValue of a distinguished name (RFC 5280 §4.1.2.4).</summary>
/// <param name="RdnIndex">Position of its RelativeDistinguishedName in the encoded Name, from 0.</param>
/// <param name="Oid">The attribute type.</param>
/// <param name="Value">The value's full encoding (tag, length, value).</param>
/// <param name="Text">The value as text when it is a character string; null otherwise.</param>
internal sealed record NameAttribute(int RdnIndex, string Oid, ReadOnlyMemory<byte> Value, string? Text);
