using System.Security.Cryptography;
using Certitude.Pki.Signing;

namespace Certitude.Features.Authority.Keys;

/// <summary>Keys as PKCS#8 sealed with AES-256-GCM under the master key, stored in the database.</summary>
internal sealed class SoftwareKeyStore(SecretBox box) : ICaKeyStore
{
    public const string StoreKind = "software";

    public string Kind => StoreKind;

    public byte[] Store(SigningKey key, string purpose)
    {
        var pkcs8 = key.ExportPkcs8();
        try
        {
            return box.Seal(pkcs8, purpose);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public SigningKey Open(byte[] reference, string purpose)
    {
        var pkcs8 = box.Open(reference, purpose);
        try
        {
            return SigningKey.ImportPkcs8(pkcs8);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
