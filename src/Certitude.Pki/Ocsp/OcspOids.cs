namespace Certitude.Pki.Ocsp;

/// <summary>Object identifiers of OCSP (RFC 6960 §4.2.1, §4.4, Appendix B) and its delegated responders.</summary>
internal static class OcspOids
{
    public const string BasicResponse = "1.3.6.1.5.5.7.48.1.1";
    public const string Nonce = "1.3.6.1.5.5.7.48.1.2";
    public const string NoCheck = "1.3.6.1.5.5.7.48.1.5";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";
}
