namespace Certitude.Pki;

/// <summary>The file format certificates were found in.</summary>
public enum ContainerFormat
{
    /// <summary>PEM text (RFC 7468) with CERTIFICATE or TRUSTED CERTIFICATE blocks, possibly mixed with other blocks.</summary>
    Pem,

    /// <summary>One binary DER certificate (RFC 5280 §4.1), or several concatenated.</summary>
    Der,

    /// <summary>A PKCS #7 / CMS SignedData certificate bag (RFC 2315, RFC 5652 §5), as DER or as PEM PKCS7/CMS blocks.</summary>
    Pkcs7,

    /// <summary>A PKCS #12 / PFX file (RFC 7292).</summary>
    Pkcs12,
}
