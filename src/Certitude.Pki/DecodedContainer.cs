namespace Certitude.Pki;

/// <summary>The certificates found in one file, each already parsed (parsing is how they were checked).</summary>
/// <param name="Format">The format the file was recognized as.</param>
/// <param name="Facts">Every certificate's facts (with its DER), in file order.</param>
public sealed record DecodedContainer(ContainerFormat Format, IReadOnlyList<CertificateFacts> Facts)
{
    /// <summary>The DER encoding of every certificate, in file order.</summary>
    public IReadOnlyList<byte[]> Certificates => [.. Facts.Select(f => f.Der)];
}
