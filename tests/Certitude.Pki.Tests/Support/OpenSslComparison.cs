using System.Net;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Certitude.Pki.Tests.Support;

/// <summary>Asserts that <see cref="CertificateFacts"/> say what openssl prints for the same certificate.</summary>
internal static partial class OpenSslComparison
{
    private static readonly Dictionary<string, string> KeyAlgorithms = new(StringComparer.Ordinal)
    {
        ["rsaEncryption"] = "RSA",
        ["rsassaPss"] = "RSA-PSS",
        ["id-ecPublicKey"] = "EC",
        ["ED25519"] = "Ed25519",
        ["ED448"] = "Ed448",
        ["dsaEncryption"] = "DSA",
    };

    private static readonly Dictionary<string, string> KeyUsages = new(StringComparer.Ordinal)
    {
        ["Digital Signature"] = "digitalSignature",
        ["Non Repudiation"] = "nonRepudiation",
        ["Key Encipherment"] = "keyEncipherment",
        ["Data Encipherment"] = "dataEncipherment",
        ["Key Agreement"] = "keyAgreement",
        ["Certificate Sign"] = "keyCertSign",
        ["CRL Sign"] = "cRLSign",
        ["Encipher Only"] = "encipherOnly",
        ["Decipher Only"] = "decipherOnly",
    };

    private static readonly Dictionary<string, string> ExtendedKeyUsages = new(StringComparer.Ordinal)
    {
        ["TLS Web Server Authentication"] = "1.3.6.1.5.5.7.3.1",
        ["TLS Web Client Authentication"] = "1.3.6.1.5.5.7.3.2",
        ["Code Signing"] = "1.3.6.1.5.5.7.3.3",
        ["E-mail Protection"] = "1.3.6.1.5.5.7.3.4",
        ["Time Stamping"] = "1.3.6.1.5.5.7.3.8",
        ["OCSP Signing"] = "1.3.6.1.5.5.7.3.9",
        ["Any Extended Key Usage"] = "2.5.29.37.0",
    };

    /// <summary>The fields every certificate has: names, serial, dates, fingerprints, key and signature algorithms.</summary>
    public static void AssertCoreFieldsMatch(CertificateFacts facts, OpenSslView openssl)
    {
        Assert.Equal(OpenSslNames.ToRfc4514(openssl.Subject), facts.Subject);
        Assert.Equal(OpenSslNames.ToRfc4514(openssl.Issuer), facts.Issuer);
        Assert.Equal(openssl.Serial, new BigInteger(Convert.FromHexString(facts.SerialNumber), isUnsigned: false, isBigEndian: true));
        Assert.Equal(openssl.NotBefore, facts.NotBefore);
        Assert.Equal(openssl.NotAfter, facts.NotAfter);
        Assert.Equal(openssl.Sha256Fingerprint, facts.Sha256Fingerprint);
        if (openssl.Sha1Fingerprint is not null)
        {
            Assert.Equal(openssl.Sha1Fingerprint, facts.Sha1Fingerprint);
        }

        Assert.Equal(KeyAlgorithms[openssl.PublicKeyAlgorithm], facts.PublicKeyAlgorithm);
        if (openssl.PublicKeyBits is { } bits)
        {
            Assert.Equal(bits, facts.PublicKeySize);
        }

        Assert.Equal(openssl.NistCurve, facts.PublicKeyCurve);
        Assert.Equal(openssl.SignatureAlgorithm, facts.SignatureAlgorithm);
    }

    /// <summary>Everything <c>openssl x509 -text</c> shows that the facts also hold.</summary>
    public static void AssertAllFieldsMatch(CertificateFacts facts, OpenSslView openssl)
    {
        AssertCoreFieldsMatch(facts, openssl);
        Assert.Equal(openssl.Version, facts.Version);
        Assert.NotNull(openssl.Sha1Fingerprint);
        Assert.Equal(openssl.SpkiSha256, facts.SpkiSha256);

        var basicConstraints = openssl.Lines("X509v3 Basic Constraints");
        Assert.Equal(basicConstraints.Any(l => l.StartsWith("CA:TRUE", StringComparison.Ordinal)), facts.IsCertificateAuthority);
        var pathLength = basicConstraints.Select(l => PathLength().Match(l)).FirstOrDefault(m => m.Success);
        Assert.Equal(pathLength is null ? null : int.Parse(pathLength.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), facts.PathLengthConstraint);

        Assert.Equal(SplitList(openssl.Lines("X509v3 Key Usage")).Select(n => KeyUsages[n]), facts.KeyUsages);
        Assert.Equal(SplitList(openssl.Lines("X509v3 Extended Key Usage")).Select(n => ExtendedKeyUsages.GetValueOrDefault(n, n)), facts.ExtendedKeyUsages);
        Assert.Equal(ExpectedSubjectAlternativeNames(openssl.Lines("X509v3 Subject Alternative Name")), facts.SubjectAlternativeNames);

        var policies = openssl.Lines("X509v3 Certificate Policies")
            .Where(l => l.StartsWith("Policy: ", StringComparison.Ordinal))
            .Select(l => l["Policy: ".Length..])
            .Select(p => p == "X509v3 Any Policy" ? "2.5.29.32.0" : p);
        Assert.Equal(policies, facts.CertificatePolicies);

        Assert.Equal(
            openssl.Lines("X509v3 CRL Distribution Points").Where(l => l.StartsWith("URI:", StringComparison.Ordinal)).Select(l => l[4..]),
            facts.CrlDistributionPoints);
        var access = openssl.Lines("Authority Information Access");
        Assert.Equal(access.Where(l => l.StartsWith("OCSP - URI:", StringComparison.Ordinal)).Select(l => l["OCSP - URI:".Length..]), facts.OcspUrls);
        Assert.Equal(access.Where(l => l.StartsWith("CA Issuers - URI:", StringComparison.Ordinal)).Select(l => l["CA Issuers - URI:".Length..]), facts.CaIssuerUrls);

        Assert.Equal(KeyIdentifier(openssl.Lines("X509v3 Subject Key Identifier")), facts.SubjectKeyIdentifier);
        Assert.Equal(KeyIdentifier(openssl.Lines("X509v3 Authority Key Identifier")), facts.AuthorityKeyIdentifier);
        Assert.Equal(openssl.Lines("TLS Feature").Contains("status_request"), facts.MustStaple);
        Assert.Equal(openssl.Lines("CT Precertificate SCTs").Count(l => l == "Signed Certificate Timestamp:"), facts.EmbeddedSctCount);
        Assert.Equal(
            openssl.Extensions.Values.Where(e => e.Critical && DottedOid().IsMatch(e.Name)).Select(e => e.Name),
            facts.UnknownCriticalExtensions);
    }

    private static IEnumerable<string> SplitList(IReadOnlyList<string> lines)
    {
        return lines.SelectMany(l => l.Split(", ", StringSplitOptions.RemoveEmptyEntries)).Select(s => s.Trim());
    }

    private static string? KeyIdentifier(IReadOnlyList<string> lines)
    {
        var first = lines.Count > 0 ? lines[0] : null;
        return first?.Replace("keyid:", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
    }

    private static List<SubjectAlternativeName> ExpectedSubjectAlternativeNames(IReadOnlyList<string> lines)
    {
        var names = new List<SubjectAlternativeName>();
        foreach (var entry in SplitList(lines))
        {
            names.Add(entry switch
            {
                _ when entry.StartsWith("DNS:", StringComparison.Ordinal) => new(SubjectAlternativeNameType.Dns, entry[4..]),
                _ when entry.StartsWith("IP Address:", StringComparison.Ordinal) =>
                    new(SubjectAlternativeNameType.IpAddress, IPAddress.Parse(entry["IP Address:".Length..]).ToString()),
                _ when entry.StartsWith("email:", StringComparison.Ordinal) => new(SubjectAlternativeNameType.Email, entry[6..]),
                _ when entry.StartsWith("URI:", StringComparison.Ordinal) => new(SubjectAlternativeNameType.Uri, entry[4..]),
                _ when entry.StartsWith("Registered ID:", StringComparison.Ordinal) =>
                    new(SubjectAlternativeNameType.Other, "registeredID:" + entry["Registered ID:".Length..]),
                _ when entry.StartsWith("othername: UPN::", StringComparison.Ordinal) =>
                    new(SubjectAlternativeNameType.Other, "1.3.6.1.4.1.311.20.2.3:" + entry["othername: UPN::".Length..]),
                _ when entry.StartsWith("DirName:", StringComparison.Ordinal) =>
                    new(SubjectAlternativeNameType.DirectoryName, OneLineToRfc4514(entry["DirName:".Length..])),
                _ => throw new InvalidOperationException($"openssl printed a subject alternative name the test does not parse: {entry}"),
            });
        }

        return names;
    }

    private static string OneLineToRfc4514(string oneLine)
    {
        // OpenSSL's one-line form "/CN=a/O=b" lists RDNs first to last; RFC 4514 lists them last to first.
        return string.Join(',', oneLine.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
    }

    [GeneratedRegex(@"pathlen:(\d+)")]
    private static partial Regex PathLength();

    [GeneratedRegex(@"^\d+(\.\d+)+$")]
    private static partial Regex DottedOid();
}
