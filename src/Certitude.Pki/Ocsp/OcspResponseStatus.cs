namespace Certitude.Pki.Ocsp;

/// <summary>The OCSPResponseStatus of an OCSP response (RFC 6960 §4.2.1); the values are the ENUMERATED's.</summary>
public enum OcspResponseStatus
{
    /// <summary>The response carries a signed BasicOCSPResponse.</summary>
    Successful = 0,

    /// <summary>The request was not a valid OCSP request (RFC 6960 §2.3).</summary>
    MalformedRequest = 1,

    /// <summary>The responder reached an inconsistent internal state.</summary>
    InternalError = 2,

    /// <summary>The responder cannot answer now; the client may retry later.</summary>
    TryLater = 3,

    /// <summary>The responder requires signed requests. (Value 4 is not used by RFC 6960.)</summary>
    SigRequired = 5,

    /// <summary>The responder is not authorized to answer for this certificate.</summary>
    Unauthorized = 6,
}
