namespace Certitude.Tls.Validation;

/// <summary>Which trust anchors a presented chain reaches (see <see cref="ChainCheck.Evaluate"/>).</summary>
public enum ChainTrust
{
    /// <summary>The chain reaches a root of the operating system's trust store, as a public client would accept it.</summary>
    System,

    /// <summary>The chain reaches one of the organization's own anchors (its private CAs) but no system root.</summary>
    Organization,

    /// <summary>The chain reaches no anchor: a private or unknown CA, a self-signed certificate, a broken chain.</summary>
    Untrusted,
}
