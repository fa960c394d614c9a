using Microsoft.Extensions.Options;

namespace Certitude.Features.Inventory;

/// <summary>Turns paths given on the command line into <see cref="ImportFile"/>s: files as they are, folders
/// recursively, lazily so a folder of a million files is never held in memory at once.</summary>
public sealed class ImportFileReader(IOptions<InventoryOptions> options)
{
    public async IAsyncEnumerable<ImportFile> ReadAsync(IEnumerable<string> paths, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var path in paths)
        {
            var fullPath = Path.GetFullPath(path);
            if (Directory.Exists(fullPath))
            {
                // Links to directories are not followed (no cycles). A file reached through several links
                // (/etc/ssl/certs has name.pem and hash.0 for each CA) is read once.
                var seenTargets = new HashSet<string>(StringComparer.Ordinal);
                foreach (var file in EnumerateWithoutDirectoryLinks(fullPath))
                {
                    if (seenTargets.Add(ResolveTarget(file)))
                    {
                        yield return await ReadFileAsync(file, cancellationToken);
                    }
                }
            }
            else if (File.Exists(fullPath))
            {
                yield return await ReadFileAsync(fullPath, cancellationToken);
            }
            else
            {
                yield return new ImportFile(path, CertificateSourceKinds.File, fullPath, ReadOnlyMemory<byte>.Empty, "no such file or folder");
            }
        }
    }

    /// <summary>How many files <see cref="ReadAsync"/> will yield, counted without reading them (for progress bars).</summary>
    public static int CountFiles(IEnumerable<string> paths)
    {
        var count = 0;
        foreach (var path in paths)
        {
            var fullPath = Path.GetFullPath(path);
            count += Directory.Exists(fullPath)
                ? EnumerateWithoutDirectoryLinks(fullPath).Select(ResolveTarget).Distinct(StringComparer.Ordinal).Count()
                : 1;
        }

        return count;
    }

    private async Task<ImportFile> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > options.Value.MaxFileBytes)
            {
                return new ImportFile(path, CertificateSourceKinds.File, path, ReadOnlyMemory<byte>.Empty, CertificateImporter.TooLargeMessage(options.Value.MaxFileBytes));
            }

            return new ImportFile(path, CertificateSourceKinds.File, path, await File.ReadAllBytesAsync(path, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ImportFile(path, CertificateSourceKinds.File, path, ReadOnlyMemory<byte>.Empty, $"cannot be read: {e.Message}");
        }
    }

    private static IEnumerable<string> EnumerateWithoutDirectoryLinks(string folder)
    {
        var pending = new Stack<string>();
        pending.Push(folder);
        var flat = new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0 };
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(current, "*", flat).Order(StringComparer.Ordinal))
            {
                yield return file;
            }

            foreach (var sub in Directory.EnumerateDirectories(current, "*", flat).Order(StringComparer.Ordinal).Reverse())
            {
                if (new DirectoryInfo(sub).LinkTarget is null)
                {
                    pending.Push(sub);
                }
            }
        }
    }

    private static string ResolveTarget(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }
}
