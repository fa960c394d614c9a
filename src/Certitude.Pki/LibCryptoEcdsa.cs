using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Certitude.Pki;

/// <summary>
/// ECDSA signature checks on P-256, P-384 and P-521 made straight in OpenSSL's libcrypto, the library .NET's own
/// cryptography uses on Linux, through its EC_KEY API. .NET's <c>ECDsa.ImportSubjectPublicKeyInfo</c> on
/// OpenSSL 3 builds a legacy EC_KEY, runs the full EC_KEY_check_key on it and exports it to a provider key before
/// the first verification: for a key used once, as every CSR's key is, that costs about twice the verification
/// itself. Here the point goes into an EC_KEY on a group built once per curve (EC_KEY_oct2key, which refuses
/// coordinates outside the field and points not on the curve; the three curves have cofactor 1, so that is the whole
/// public key check) and ECDSA_verify checks the DER signature against a digest hashed in .NET — the same
/// ECDSA_verify that .NET's EVP_PKEY_verify ends in, with the same strict DER parsing of the signature.
/// </summary>
/// <remarks>
/// Only keys encoded exactly as RFC 5480 §2 writes them in DER (id-ecPublicKey, the curve's namedCurve OID, an
/// uncompressed point of the curve's length) take this path; <see cref="TryVerify"/> answers null for anything else
/// (compressed or hybrid points, explicit parameters, BER, other curves, other hashes), for a libcrypto other than the
/// one .NET loaded, under OpenSSL's FIPS mode, and on other platforms, and the caller then asks .NET, so the answer is
/// the same either way. docs/decisions/0007-direct-libcrypto-ecdsa-verify.md has the measurements.
/// </remarks>
internal static unsafe class LibCryptoEcdsa
{
    private const string LibraryName = "libcrypto.so.3";

    // Curve NIDs from OpenSSL's obj_mac.h.
    private const int NidP256 = 415;
    private const int NidP384 = 715;
    private const int NidP521 = 716;

    private static readonly Native? Library = Load();

    /// <summary>Whether the direct path is in use in this process (libcrypto.so.3 loaded, its exports found, it is the
    /// library .NET's cryptography runs on, and FIPS mode is off).</summary>
    internal static bool IsAvailable => Library is not null;

    // SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) in DER for each curve up to and including the uncompressed point's
    // first octet 0x04 (SEC 1 §2.3.3): SEQUENCE { SEQUENCE { id-ecPublicKey, namedCurve }, BIT STRING (0 unused bits) }.
    private static ReadOnlySpan<byte> P256Prefix =>
    [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
        0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
    ];

    private static ReadOnlySpan<byte> P384Prefix =>
    [
        0x30, 0x76, 0x30, 0x10, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
        0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22, 0x03, 0x62, 0x00, 0x04,
    ];

    private static ReadOnlySpan<byte> P521Prefix =>
    [
        0x30, 0x81, 0x9B, 0x30, 0x10, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
        0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23, 0x03, 0x81, 0x86, 0x00, 0x04,
    ];

    /// <summary>
    /// Verifies an ECDSA signature (RFC 5758 §3.2: a DER Ecdsa-Sig-Value, RFC 3279 §2.2.3) over
    /// <paramref name="data"/> hashed with <paramref name="hash"/>, when the direct path applies.
    /// </summary>
    /// <param name="subjectPublicKeyInfo">The signer's whole SubjectPublicKeyInfo, DER.</param>
    /// <param name="data">The signed data.</param>
    /// <param name="signature">The signature as it travels, DER.</param>
    /// <param name="hash">SHA-1, SHA-256, SHA-384 or SHA-512.</param>
    /// <returns>True or false when decided here (false also for a point not on the curve and for a signature that is
    /// not strict DER); null when .NET must decide.</returns>
    internal static bool? TryVerify(ReadOnlySpan<byte> subjectPublicKeyInfo, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        if (Library is not { } library)
        {
            return null;
        }

        nint group;
        ReadOnlySpan<byte> point;
        if (IsNamedCurveKey(subjectPublicKeyInfo, P256Prefix, 32))
        {
            group = library.P256;
            point = subjectPublicKeyInfo[(P256Prefix.Length - 1)..];
        }
        else if (IsNamedCurveKey(subjectPublicKeyInfo, P384Prefix, 48))
        {
            group = library.P384;
            point = subjectPublicKeyInfo[(P384Prefix.Length - 1)..];
        }
        else if (IsNamedCurveKey(subjectPublicKeyInfo, P521Prefix, 66))
        {
            group = library.P521;
            point = subjectPublicKeyInfo[(P521Prefix.Length - 1)..];
        }
        else
        {
            return null;
        }

        if (hash != HashAlgorithmName.SHA256 && hash != HashAlgorithmName.SHA384 && hash != HashAlgorithmName.SHA512
            && hash != HashAlgorithmName.SHA1)
        {
            return null;
        }

        if (signature.IsEmpty)
        {
            // ECDSA_verify would fail to decode it (.NET answers false too); no pointer to hand over.
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA512.HashSizeInBytes];
        var digestLength = CryptographicOperations.HashData(hash, data, digest);
        return library.Verify(group, point, digest[..digestLength], signature);
    }

    private static bool IsNamedCurveKey(ReadOnlySpan<byte> subjectPublicKeyInfo, ReadOnlySpan<byte> prefix, int coordinateBytes) =>
        subjectPublicKeyInfo.Length == prefix.Length + (2 * coordinateBytes) && subjectPublicKeyInfo.StartsWith(prefix);

    private static Native? Load()
    {
        // libcrypto.so.3 is a Linux name; elsewhere .NET's cryptography is the platform's and keeps every check.
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(LibraryName, out var handle))
        {
            return null;
        }

        // The handle is never freed: .NET's cryptography holds the same library for the life of the process.
        try
        {
            // Only the very library .NET's cryptography runs on (its version number, not just its file name), so that
            // a process told to use another OpenSSL does not check signatures with two.
            if (!NativeLibrary.TryGetExport(handle, "OpenSSL_version_num", out var versionNum)
                || ((delegate* unmanaged<nuint>)versionNum)() != (nuint)SafeEvpPKeyHandle.OpenSslVersion)
            {
                return null;
            }

            // With FIPS mode configured, .NET's calls run in the FIPS provider; the EC_KEY functions would not.
            if (!NativeLibrary.TryGetExport(handle, "EVP_default_properties_is_fips_enabled", out var isFipsEnabled)
                || ((delegate* unmanaged<nint, int>)isFipsEnabled)(0) != 0)
            {
                return null;
            }

            return Native.Create(handle);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException
            or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The libcrypto exports used, resolved once, and one EC_GROUP per curve, built once and only ever read
    /// (EC_KEY_set_group copies it), so that threads share them without locks.</summary>
    private sealed class Native
    {
        private readonly delegate* unmanaged<nint> _ecKeyNew;
        private readonly delegate* unmanaged<nint, nint, int> _ecKeySetGroup;
        private readonly delegate* unmanaged<nint, byte*, nuint, nint, int> _ecKeyOct2Key;
        private readonly delegate* unmanaged<int, byte*, int, byte*, int, nint, int> _ecdsaVerify;
        private readonly delegate* unmanaged<nint, void> _ecKeyFree;
        private readonly delegate* unmanaged<void> _errClearError;

        private Native(nint keyNew, nint keySetGroup, nint keyOct2Key, nint verify, nint keyFree, nint errClearError, nint p256, nint p384, nint p521)
        {
            _ecKeyNew = (delegate* unmanaged<nint>)keyNew;
            _ecKeySetGroup = (delegate* unmanaged<nint, nint, int>)keySetGroup;
            _ecKeyOct2Key = (delegate* unmanaged<nint, byte*, nuint, nint, int>)keyOct2Key;
            _ecdsaVerify = (delegate* unmanaged<int, byte*, int, byte*, int, nint, int>)verify;
            _ecKeyFree = (delegate* unmanaged<nint, void>)keyFree;
            _errClearError = (delegate* unmanaged<void>)errClearError;
            P256 = p256;
            P384 = p384;
            P521 = p521;
        }

        public nint P256 { get; }

        public nint P384 { get; }

        public nint P521 { get; }

        /// <summary>The exports and groups, or null when an export is missing or a curve cannot be built.</summary>
        public static Native? Create(nint handle)
        {
            if (!NativeLibrary.TryGetExport(handle, "EC_GROUP_new_by_curve_name", out var groupNew)
                || !NativeLibrary.TryGetExport(handle, "EC_GROUP_free", out var groupFree)
                || !NativeLibrary.TryGetExport(handle, "EC_KEY_new", out var keyNew)
                || !NativeLibrary.TryGetExport(handle, "EC_KEY_set_group", out var keySetGroup)
                || !NativeLibrary.TryGetExport(handle, "EC_KEY_oct2key", out var keyOct2Key)
                || !NativeLibrary.TryGetExport(handle, "ECDSA_verify", out var verify)
                || !NativeLibrary.TryGetExport(handle, "EC_KEY_free", out var keyFree)
                || !NativeLibrary.TryGetExport(handle, "ERR_clear_error", out var errClearError))
            {
                return null;
            }

            var newGroup = (delegate* unmanaged<int, nint>)groupNew;
            var p256 = newGroup(NidP256);
            var p384 = newGroup(NidP384);
            var p521 = newGroup(NidP521);
            if (p256 != 0 && p384 != 0 && p521 != 0)
            {
                return new Native(keyNew, keySetGroup, keyOct2Key, verify, keyFree, errClearError, p256, p384, p521);
            }

            // EC_GROUP_free takes NULL.
            var freeGroup = (delegate* unmanaged<nint, void>)groupFree;
            freeGroup(p256);
            freeGroup(p384);
            freeGroup(p521);
            ((delegate* unmanaged<void>)errClearError)();
            return null;
        }

        /// <summary>ECDSA_verify of <paramref name="signature"/> over <paramref name="digest"/> with the key
        /// <paramref name="point"/> (an uncompressed point, SEC 1 §2.3.3) on <paramref name="group"/>; null when
        /// libcrypto could not even make a key object (out of memory), for .NET to try.</summary>
        public bool? Verify(nint group, ReadOnlySpan<byte> point, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
        {
            var key = _ecKeyNew();
            if (key == 0)
            {
                _errClearError();
                return null;
            }

            try
            {
                if (_ecKeySetGroup(key, group) != 1)
                {
                    _errClearError();
                    return null;
                }

                fixed (byte* pointBytes = point)
                fixed (byte* digestBytes = digest)
                fixed (byte* signatureBytes = signature)
                {
                    // A failure leaves its reason on OpenSSL's per-thread error queue: cleared, so that the queue does
                    // not grow and nothing later on this thread reads a stale error as its own.
                    if (_ecKeyOct2Key(key, pointBytes, (nuint)point.Length, 0) != 1)
                    {
                        _errClearError();
                        return false;
                    }

                    // 1 verified, 0 not, -1 undecodable or non-DER signature (the type argument is ignored).
                    if (_ecdsaVerify(0, digestBytes, digest.Length, signatureBytes, signature.Length, key) == 1)
                    {
                        return true;
                    }

                    _errClearError();
                    return false;
                }
            }
            finally
            {
                _ecKeyFree(key);
            }
        }
    }
}
