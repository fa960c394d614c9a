namespace Certitude.Bench.Discovery;

/// <summary>One of the fixture's leaf certificates: its name, key type, files and the SHA-256 of its DER encoding (lowercase hex).</summary>
internal sealed record FixtureCertificate(string Name, string KeyType, string FullChainPath, string KeyPath, string Sha256);
