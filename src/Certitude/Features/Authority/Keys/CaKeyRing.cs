using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Certitude.Features.Authority.Keys;

/// <summary>
/// CA certificates with their opened keys, kept for the life of the process: opening a key (AES-GCM, PKCS#8
/// import) for every certificate would cost more than signing it. A CA's key never changes, so nothing goes stale.
/// </summary>
public sealed class CaKeyRing(IEnumerable<ICaKeyStore> stores) : IDisposable
{
    private readonly ConcurrentDictionary<long, Lazy<CaSigner>> _signers = new();
    private readonly Dictionary<string, ICaKeyStore> _stores = stores.ToDictionary(s => s.Kind, StringComparer.Ordinal);

    public static string Purpose(CertificateAuthority authority) => $"ca-key:{authority.Name}";

    /// <summary>The store for new keys.</summary>
    public ICaKeyStore DefaultStore => _stores[SoftwareKeyStore.StoreKind];

    public ICaKeyStore Store(string kind) =>
        _stores.TryGetValue(kind, out var store) ? store : throw new InvalidOperationException($"No key store '{kind}' in this build.");

    public CaSigner SignerFor(CertificateAuthority authority) =>
        _signers.GetOrAdd(authority.Id, _ => new Lazy<CaSigner>(() => Open(authority), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private CaSigner Open(CertificateAuthority authority)
    {
        if (authority.KeyStore is not { } kind || authority.KeyReference is not { } reference)
        {
            throw new InvalidOperationException($"The CA '{authority.Name}' has no key here: it cannot sign.");
        }

        var key = Store(kind).Open(reference, Purpose(authority));
        return new CaSigner(X509CertificateLoader.LoadCertificate(authority.CertificateDer), key);
    }

    public void Dispose()
    {
        foreach (var signer in _signers.Values.Where(s => s.IsValueCreated))
        {
            signer.Value.Key.Dispose();
            signer.Value.Certificate.Dispose();
        }
    }
}
