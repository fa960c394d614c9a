namespace Certitude.Tls.Wire;

/// <summary>One record as read (RFC 8446 §5.1); its memory belongs to the reader and is valid until the next read.</summary>
/// <param name="ContentType">The record's content type.</param>
/// <param name="Header">The 5-byte header, which is also the AEAD additional data of a TLS 1.3 record (RFC 8446 §5.2).</param>
/// <param name="Fragment">The record's payload.</param>
internal readonly record struct TlsRecord(byte ContentType, ReadOnlyMemory<byte> Header, ReadOnlyMemory<byte> Fragment);
