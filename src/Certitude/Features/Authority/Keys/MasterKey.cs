using System.Security.Cryptography;
using Certitude.Data;

namespace Certitude.Features.Authority.Keys;

/// <summary>
/// The 256-bit key that encrypts CA private keys (and server-generated keys) at rest. Taken, in this order, from
/// <c>CERTITUDE_MASTER_KEY</c> (base64), from the file <c>CERTITUDE_MASTER_KEY_FILE</c> names (a container secret),
/// or from <c>master.key</c> in the data folder, created with mode 0600 on first use. Kept apart from the database:
/// a stolen database (or backup) alone reveals no key.
/// </summary>
public sealed class MasterKey
{
    public const string EnvironmentVariable = "CERTITUDE_MASTER_KEY";
    public const string FileEnvironmentVariable = "CERTITUDE_MASTER_KEY_FILE";
    public const string FileName = "master.key";
    private const int KeyBytes = 32;

    private readonly Lazy<byte[]> _key;

    public MasterKey(StorageSettings storage)
    {
        _key = new Lazy<byte[]>(() => Load(storage.DataDirectory), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The key bytes; loading (or creating) them on first use, so that commands that never touch a CA key
    /// never create the file.</summary>
    internal ReadOnlySpan<byte> Bytes => _key.Value;

    /// <summary>A short public identifier of the key (not the key), stored beside ciphertexts to tell a wrong master
    /// key from a corrupted ciphertext.</summary>
    internal string Fingerprint => Convert.ToHexStringLower(SHA256.HashData([.. "certitude-master-key-id"u8, .. _key.Value]))[..16];

    private static byte[] Load(string dataDirectory)
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } encoded)
        {
            return Decode(encoded, EnvironmentVariable);
        }

        if (Environment.GetEnvironmentVariable(FileEnvironmentVariable) is { Length: > 0 } secretFile)
        {
            return Decode(File.ReadAllText(secretFile), secretFile);
        }

        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            return Decode(File.ReadAllText(path), path);
        }

        Directory.CreateDirectory(dataDirectory);
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        // Written whole to a temporary file, flushed to disk, then moved into place: a crash never leaves an empty or
        // half-written master.key (which would lock every CA key out), and a second process racing this one either
        // sees no file or the complete one.
        var temporary = Path.Combine(dataDirectory, $".{FileName}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n"));
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            File.Delete(temporary);
            return Decode(File.ReadAllText(path), path);
        }

        return key;
    }

    private static byte[] Decode(string text, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The master key in {source} is not base64.");
        }

        return key.Length == KeyBytes ? key : throw new InvalidOperationException($"The master key in {source} must be {KeyBytes} bytes (base64 of 32 random bytes).");
    }
}
