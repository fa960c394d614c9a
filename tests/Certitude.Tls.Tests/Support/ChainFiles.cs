namespace Certitude.Tls.Tests.Support;

/// <summary>The PEM files of a <see cref="TestChain"/>.</summary>
internal sealed record ChainFiles(string Certificate, string Chain, string FullChain, string Key);
