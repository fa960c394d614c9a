using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki;

/// <summary>Takes the certificates out of a PKCS #12 / PFX file (RFC 7292) with .NET's loader; private keys are skipped.</summary>
internal static class Pkcs12CertificateReader
{
    // HRESULT_FROM_WIN32(ERROR_INVALID_PASSWORD): what .NET reports when the MAC (RFC 7292 §5) does not verify.
    private const int InvalidPasswordResult = unchecked((int)0x80070056);

    /// <summary>Returns the DER of every certificate in the file.</summary>
    /// <param name="pfx">The PFX structure.</param>
    /// <param name="password">The password; null or empty tries both the empty password and no password, as .NET's loader does.</param>
    /// <exception cref="CertificateFormatException">Wrong or missing password, a corrupt file, or no certificates.</exception>
    public static List<byte[]> Read(byte[] pfx, string? password)
    {
        // Keys are never needed to list certificates, and skipping them avoids decrypting and storing them at all.
        var limits = new Pkcs12LoaderLimits(Pkcs12LoaderLimits.Defaults) { IgnorePrivateKeys = true };
        X509Certificate2Collection collection;
        try
        {
            collection = X509CertificateLoader.LoadPkcs12Collection(pfx, password, X509KeyStorageFlags.EphemeralKeySet, limits);
        }
        catch (Pkcs12LoadLimitExceededException e)
        {
            throw new CertificateFormatException($"PKCS#12 exceeds the loader's safety limits ({e.Message.TrimEnd('.')})", e);
        }
        catch (CryptographicException e) when (e.HResult == InvalidPasswordResult)
        {
            // The MAC check cannot tell a wrong password from altered contents; a wrong password is by far the likelier.
            throw new CertificateFormatException(string.IsNullOrEmpty(password) ? "PKCS#12 file needs a password" : "wrong PKCS#12 password", e);
        }
        catch (CryptographicException e)
        {
            throw new CertificateFormatException($"corrupt PKCS#12 ({e.Message.TrimEnd('.')})", e);
        }

        var certificates = new List<byte[]>(collection.Count);
        foreach (var certificate in collection)
        {
            certificates.Add(certificate.RawData);
            certificate.Dispose();
        }

        if (certificates.Count == 0)
        {
            throw new CertificateFormatException("PKCS#12 contains no certificates");
        }

        return certificates;
    }
}
