using System.Security.Cryptography.X509Certificates;
using System.Text;
using Certitude.Pki;
using Certitude.Pki.Issuance;
using Certitude.Pki.Signing;

namespace Certitude.Bench.PkiMicro;

/// <summary>
/// The CPU work of <c>POST /api/v1/requests</c> for a CSR, step by step, made of the same library calls
/// RequestService makes (src/Certitude/Features/Authority/RequestService.cs: ReadCsr, ResolveKeyAsync, SignAsync and
/// the BuiltIn connector). The app's methods need its database and services; this copy keeps only what runs
/// between them, so it must follow RequestService when that changes.
/// </summary>
internal sealed class IssuancePath(X509Certificate2 issuer, SigningKey issuerKey)
{
    private const string Authority = "bench-issuing";
    private const string BaseUrl = "http://127.0.0.1:8080";
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(1);

    private readonly CertificateProfile _profile = CertificateProfiles.TlsServer;

    /// <summary>Step 1, RequestService.ReadCsr: PEM text to a verified <see cref="SigningRequest"/>.</summary>
    public static SigningRequest ReadCsr(string pem) => SigningRequestReader.Read(Encoding.ASCII.GetBytes(pem));

    /// <summary>Step 2, RequestService.ResolveKeyAsync for a CSR: the SubjectPublicKeyInfo stored with the request.</summary>
    public static byte[] ResolveKey(SigningRequest csr) => csr.PublicKey.ExportSubjectPublicKeyInfo();

    /// <summary>Step 3a, RequestService.SignAsync up to the connector: the subject key and the certificate template.</summary>
    public (CertificateTemplate Template, PublicKey SubjectKey) Prepare(byte[] subjectPublicKeyInfo, string? commonName, List<string> storedNames, DateTimeOffset now)
    {
        var subjectKey = PublicKey.CreateFromSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        var description = PublicKeyDescription.Describe(subjectPublicKeyInfo);
        var notAfter = now.AddDays(90);
        var template = new CertificateTemplate
        {
            Subject = SubjectFor(commonName),
            SubjectAlternativeNames = storedNames.Select(ParseStoredName).ToList(),
            NotBefore = now - Backdate,
            NotAfter = notAfter < issuer.NotAfter ? notAfter : issuer.NotAfter,
            SerialNumber = CertificateBuilder.NewSerialNumber(),
            KeyUsage = _profile.KeyUsageFor(description),
            ExtendedKeyUsages = _profile.ExtendedKeyUsages,
            CertificatePolicies = _profile.CertificatePolicies,
            CrlDistributionPoints = [$"{BaseUrl}/crl/{Authority}.crl"],
            OcspUrls = [$"{BaseUrl}/ocsp/{Authority}"],
            CaIssuerUrls = [$"{BaseUrl}/ca/{Authority}.crt"],
        };
        return (template, subjectKey);
    }

    /// <summary>Step 3b, BuiltInCaConnector.IssueAsync: encode and sign.</summary>
    public byte[] Issue(CertificateTemplate template, PublicKey subjectKey) => CertificateBuilder.IssueDer(template, subjectKey, issuer, issuerKey);

    /// <summary>Step 3c, the end of RequestService.SignAsync: the facts recorded in the inventory.</summary>
    public static CertificateFacts ReadFacts(byte[] der) => CertificateReader.ReadFacts(der);

    /// <summary>The names as SubmitAsync stores them on the request (CertificateImporter.FormatSan).</summary>
    public static List<string> StoredNames(SigningRequest csr) =>
        csr.SubjectAlternativeNames.Where(n => n.Type is SubjectAlternativeNameType.Dns or SubjectAlternativeNameType.IpAddress)
            .Select(n => n.Type == SubjectAlternativeNameType.Dns ? $"DNS:{n.Value}" : $"IP Address:{n.Value}")
            .ToList();

    private static SubjectAlternativeName ParseStoredName(string stored) =>
        stored.StartsWith("IP Address:", StringComparison.Ordinal)
            ? new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, stored["IP Address:".Length..])
            : new SubjectAlternativeName(SubjectAlternativeNameType.Dns, stored.StartsWith("DNS:", StringComparison.Ordinal) ? stored[4..] : stored);

    private static X500DistinguishedName SubjectFor(string? commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        if (commonName is { Length: > 0 and <= 64 })
        {
            builder.AddCommonName(commonName);
        }

        return builder.Build();
    }
}
