using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Certitude.Pki.Ocsp;
using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests.Ocsp;

/// <summary>
/// A root, an intermediate CA, a delegated OCSP responder and three leaves made with .NET's CertificateRequest, written
/// as PEM files (root.pem, int.pem, responder.pem, leaf0.pem ...) into a temp folder for openssl.
/// </summary>
internal sealed class OcspTestPki : IDisposable
{
    /// <summary>The leaves' serials: a random 16-byte one, one with the top bit set (encoded with a 00 octet), a 1-byte one.</summary>
    private static readonly byte[][] LeafSerials =
    [
        [0x4A, .. RandomNumberGenerator.GetBytes(15)],
        [0x80, 0x01, 0x02],
        [0x05],
    ];

    private readonly List<IDisposable> _owned = [];

    private OcspTestPki(string caKey)
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(30);

        AsymmetricAlgorithm rootKey = caKey == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        IntermediateKey = caKey == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ResponderKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _owned.AddRange([rootKey, IntermediateKey, ResponderKey]);

        var rootRequest = Request("CN=Certitude OCSP Test Root", rootKey);
        AddCaExtensions(rootRequest, null);
        Root = Own(rootRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1)));

        var intermediateRequest = Request("CN=Certitude OCSP Test Intermediate", IntermediateKey);
        AddCaExtensions(intermediateRequest, Root);
        using (var issued = Issue(intermediateRequest, Root, rootKey, notBefore, notAfter, [0x10, 0x01]))
        {
            Intermediate = Own(CopyWithKey(issued, IntermediateKey));
        }

        var responderRequest = Request("CN=Certitude OCSP Test Responder", ResponderKey);
        responderRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        responderRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.9")], false));
        responderRequest.CertificateExtensions.Add(new X509Extension("1.3.6.1.5.5.7.48.1.5", [0x05, 0x00], false));
        responderRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
        using (var issued = Issue(responderRequest, Intermediate, IntermediateKey, notBefore, notAfter, [0x20, 0x01]))
        {
            Responder = Own(CopyWithKey(issued, ResponderKey));
        }

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leaves = new List<X509Certificate2>();
        for (var i = 0; i < LeafSerials.Length; i++)
        {
            var leafRequest = Request($"CN=leaf{i}.example.com", leafKey);
            leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));
            leaves.Add(Own(Issue(leafRequest, Intermediate, IntermediateKey, notBefore, notAfter, LeafSerials[i])));
        }

        Leaves = leaves;

        System.IO.File.WriteAllText(Directory.File("root.pem"), Root.ExportCertificatePem());
        System.IO.File.WriteAllText(Directory.File("int.pem"), Intermediate.ExportCertificatePem());
        System.IO.File.WriteAllText(Directory.File("responder.pem"), Responder.ExportCertificatePem());
        for (var i = 0; i < Leaves.Count; i++)
        {
            System.IO.File.WriteAllText(Directory.File($"leaf{i}.pem"), Leaves[i].ExportCertificatePem());
        }

        System.IO.File.WriteAllText(Directory.File("leaf-key.pem"), leafKey.ExportPkcs8PrivateKeyPem());
    }

    public TempDirectory Directory { get; } = new();

    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    public AsymmetricAlgorithm IntermediateKey { get; }

    /// <summary>The delegated responder: id-kp-OCSPSigning, id-pkix-ocsp-nocheck, issued by the intermediate.</summary>
    public X509Certificate2 Responder { get; }

    public AsymmetricAlgorithm ResponderKey { get; }

    public IReadOnlyList<X509Certificate2> Leaves { get; }

    /// <summary>Makes the PKI; <paramref name="caKey"/> is "ec" (P-256) or "rsa" (2048 bits) for the root and the intermediate.</summary>
    public static OcspTestPki Create(string caKey)
    {
        return new OcspTestPki(caKey);
    }

    public static X509SignatureGenerator Generator(AsymmetricAlgorithm key)
    {
        return key switch
        {
            RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
            _ => throw new ArgumentException("RSA or ECDSA only", nameof(key)),
        };
    }

    /// <summary>A signer for the intermediate CA answering for itself.</summary>
    public OcspResponseSigner CaSigner()
    {
        return new OcspResponseSigner(Intermediate, Generator(IntermediateKey), HashAlgorithmName.SHA256);
    }

    /// <summary>A signer for the delegated responder certificate.</summary>
    public OcspResponseSigner DelegatedSigner()
    {
        return new OcspResponseSigner(Responder, Generator(ResponderKey), HashAlgorithmName.SHA256);
    }

    /// <summary>The CertID of leaf <paramref name="index"/> as a client would build it.</summary>
    public OcspCertificateId LeafId(int index, HashAlgorithmName? hash = null)
    {
        return OcspCertificateId.Create(Intermediate, Leaves[index].SerialNumberBytes.Span, hash ?? HashAlgorithmName.SHA1);
    }

    public string File(string name)
    {
        return Directory.File(name);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Directory.Dispose();
    }

    private static CertificateRequest Request(string subject, AsymmetricAlgorithm key)
    {
        return key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDSA only", nameof(key)),
        };
    }

    private static void AddCaExtensions(CertificateRequest request, X509Certificate2? issuer)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is not null)
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        }
    }

    /// <summary>Signs with the issuer's key through a generator: CertificateRequest.Create(issuer, ...) refuses mixed key types.</summary>
    private static X509Certificate2 Issue(
        CertificateRequest request,
        X509Certificate2 issuer,
        AsymmetricAlgorithm issuerKey,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        byte[] serial)
    {
        return request.Create(issuer.SubjectName, Generator(issuerKey), notBefore, notAfter, serial);
    }

    private static X509Certificate2 CopyWithKey(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        return key switch
        {
            RSA rsa => certificate.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
            _ => throw new ArgumentException("RSA or ECDSA only", nameof(key)),
        };
    }

    private X509Certificate2 Own(X509Certificate2 certificate)
    {
        _owned.Add(certificate);
        return certificate;
    }
}
