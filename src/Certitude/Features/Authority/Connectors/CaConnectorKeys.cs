namespace Certitude.Features.Authority.Connectors;

/// <summary>Stable keys of the CA connectors, stored on each <see cref="CertificateAuthority"/>.</summary>
public static class CaConnectorKeys
{
    /// <summary>Certitude's own CA: keys in the key store, signing in process.</summary>
    public const string BuiltIn = "builtin";
}
