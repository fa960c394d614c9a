namespace Certitude.Pki;

/// <summary>The kind of a subject alternative name (RFC 5280 §4.2.1.6 GeneralName choices that carry a plain value).</summary>
public enum SubjectAlternativeNameType
{
    /// <summary>dNSName.</summary>
    Dns,
    /// <summary>iPAddress of 4 or 16 bytes, rendered in its canonical text form ("192.0.2.1", RFC 5952 "2001:db8::1").</summary>
    IpAddress,
    /// <summary>rfc822Name.</summary>
    Email,
    /// <summary>uniformResourceIdentifier.</summary>
    Uri,
    /// <summary>directoryName, rendered as an RFC 4514 string.</summary>
    DirectoryName,
    /// <summary>otherName, registeredID or anything else: an otherName as "type-id:value" (e.g. a UPN as
    /// "1.3.6.1.4.1.311.20.2.3:user@example.com", a non-string value as "#" and hex of its DER), a registeredID as
    /// "registeredID:OID", an iPAddress of other than 4 or 16 bytes as "iPAddress:#hex", and x400Address or ediPartyName as
    /// "x400Address:#hex" / "ediPartyName:#hex".</summary>
    Other,
}
