namespace Certitude.Pki;

/// <summary>One subject alternative name.</summary>
/// <param name="Type">Which GeneralName choice.</param>
/// <param name="Value">The name as text.</param>
public sealed record SubjectAlternativeName(SubjectAlternativeNameType Type, string Value);
