namespace Certitude.Pki;

/// <summary>The certificates found in one file, each already checked to be a parseable X.509 certificate.</summary>
/// <param name="Format">The format the file was recognized as.</param>
/// <param name="Certificates">The DER encoding of every certificate, in file order.</param>
public sealed record DecodedContainer(ContainerFormat Format, IReadOnlyList<byte[]> Certificates);
