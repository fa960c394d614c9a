using System.Globalization;

namespace Certitude.Bench.Inventory;

/// <summary>
/// The cached certificate files of one size: <c>CACHE/corpus-COUNT/files/</c> holds <c>ca.pem</c> and the leaf
/// bundles, <c>manifest.txt</c> beside it is written last, so an interrupted generation is redone, never reused.
/// </summary>
internal sealed class Corpus(string cacheDirectory, int count)
{
    public const int CertificatesPerFile = 1000;
    public const string AuthorityFileName = "ca.pem";
    public const int AuthorityCount = 6;

    /// <summary>Bumped whenever the generator changes what it writes, so older caches are regenerated.</summary>
    private const int GeneratorVersion = 1;

    public int Count { get; } = count;

    public string Directory { get; } = Path.Combine(Path.GetFullPath(cacheDirectory), $"corpus-{count}");

    public string FilesDirectory => Path.Combine(Directory, "files");

    public int LeafFileCount => (Count + CertificatesPerFile - 1) / CertificatesPerFile;

    /// <summary>Leaves plus the CA certificates.</summary>
    public int TotalCertificates => Count + AuthorityCount;

    private string ManifestPath => Path.Combine(Directory, "manifest.txt");

    public string LeafFilePath(int file) => Path.Combine(FilesDirectory, $"leaves-{file:D6}.pem");

    public IEnumerable<string> AllFiles() =>
        [Path.Combine(FilesDirectory, AuthorityFileName), .. Enumerable.Range(0, LeafFileCount).Select(LeafFilePath)];

    /// <summary>When the cached files were generated; null when they are missing or from another generator.</summary>
    public DateTimeOffset? GeneratedAt()
    {
        if (!File.Exists(ManifestPath))
        {
            return null;
        }

        var fields = File.ReadAllLines(ManifestPath).Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        return fields.GetValueOrDefault("version") == GeneratorVersion.ToString(CultureInfo.InvariantCulture)
            && fields.GetValueOrDefault("count") == Count.ToString(CultureInfo.InvariantCulture)
            && fields.TryGetValue("generated", out var generated)
            && AllFiles().All(File.Exists)
                ? DateTimeOffset.Parse(generated, CultureInfo.InvariantCulture)
                : null;
    }

    public void WriteManifest(DateTimeOffset generatedAt) =>
        File.WriteAllLines(ManifestPath,
        [
            $"version={GeneratorVersion}",
            $"count={Count}",
            $"generated={generatedAt.ToString("O", CultureInfo.InvariantCulture)}",
        ]);
}
