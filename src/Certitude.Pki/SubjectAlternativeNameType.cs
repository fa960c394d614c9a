namespace Certitude.Pki;

/// <summary>The kind of a subject alternative name (RFC 5280 §4.2.1.6 GeneralName choices that carry a plain value).</summary>
public enum SubjectAlternativeNameType
{
    /// <summary>dNSName.</summary>
    Dns,
    /// <summary>iPAddress, rendered in its canonical text form.</summary>
    IpAddress,
    /// <summary>rfc822Name.</summary>
    Email,
    /// <summary>uniformResourceIdentifier.</summary>
    Uri,
    /// <summary>directoryName, rendered as an RFC 4514 string.</summary>
    DirectoryName,
    /// <summary>otherName, registeredID or anything else, rendered as "OID:value" where possible.</summary>
    Other,
}
