namespace Certitude.Pki;

/// <summary>One "-----BEGIN label-----" … "-----END label-----" block (RFC 7468 §2) located in a file.</summary>
/// <param name="Index">Position among the file's blocks, from 1, as error messages count.</param>
/// <param name="Label">The label, e.g. "CERTIFICATE".</param>
/// <param name="BodyStart">Offset of the text between the encapsulation boundaries.</param>
/// <param name="BodyLength">Length of that text.</param>
internal readonly record struct PemBlock(int Index, string Label, int BodyStart, int BodyLength);
