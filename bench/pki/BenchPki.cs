using System.Security.Cryptography.X509Certificates;

namespace Certitude.Bench.Pki;

/// <summary>What the set-up made: the running server, the issuing CA (its files serve openssl ocsp too), the division and the key.</summary>
internal sealed record BenchPki(
    CertitudeServerProcess Server,
    string ApiKey,
    long DivisionId,
    string Domain,
    string IssuingName,
    X509Certificate2 IssuingCertificate,
    string IssuingCertificateFile,
    string IssuingKeyFile);
