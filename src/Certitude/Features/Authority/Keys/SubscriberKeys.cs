using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Certitude.Pki.Signing;

namespace Certitude.Features.Authority.Keys;

/// <summary>Server-generated subscriber keys joined to their certificates for PKCS#12 export.</summary>
internal static class SubscriberKeys
{
    public static X509Certificate2 AttachTo(this SigningKey key, X509Certificate2 certificate)
    {
        var pkcs8 = key.ExportPkcs8();
        try
        {
            switch (key.Algorithm)
            {
                case "RSA":
                    using (var rsa = RSA.Create())
                    {
                        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                        return certificate.CopyWithPrivateKey(rsa);
                    }

                case "EC":
                    using (var ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
                        return certificate.CopyWithPrivateKey(ecdsa);
                    }

                default:
                    throw new CryptographicException($"{key.Algorithm} keys cannot go into a PKCS#12 file here.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
