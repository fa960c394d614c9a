using System.Security.Cryptography.X509Certificates;

using Certitude.Pki.Issuance;

namespace Certitude.Pki.Tests.Issuance;

public sealed class CertificateProfilesTests
{
    [Theory]
    [InlineData("tls-server")]
    [InlineData("tls-client")]
    [InlineData("public-tls-server")]
    public void Find_BuiltInKey_ReturnsThatProfile(string key)
    {
        Assert.Equal(key, CertificateProfiles.Find(key)?.Key);
    }

    [Theory]
    [InlineData("TLS-SERVER")]
    [InlineData("code-signing")]
    [InlineData("")]
    public void Find_UnknownKey_ReturnsNull(string key)
    {
        Assert.Null(CertificateProfiles.Find(key));
    }

    [Fact]
    public void All_BuiltInProfiles_HaveDistinctKeysAndDefaultsWithinMaximum()
    {
        Assert.Equal(CertificateProfiles.All.Count, CertificateProfiles.All.Select(p => p.Key).Distinct().Count());
        Assert.All(CertificateProfiles.All, p => Assert.InRange(p.DefaultValidityDays, 1, p.MaximumValidityDays));
    }

    [Fact]
    public void PublicTlsServer_Policies_AssertDomainValidated()
    {
        // BR §7.1.6.1: 2.23.140.1.2.1 is the CA/Browser Forum's domain-validated policy identifier.
        Assert.Equal(["2.23.140.1.2.1"], CertificateProfiles.PublicTlsServer.CertificatePolicies);
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], CertificateProfiles.PublicTlsServer.ExtendedKeyUsages);
        Assert.True(CertificateProfiles.PublicTlsServer.FollowsBaselineRequirements);
    }

    [Fact]
    public void TlsClient_ExtendedKeyUsage_IsClientAuth()
    {
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], CertificateProfiles.TlsClient.ExtendedKeyUsages);
        Assert.True(CertificateProfiles.TlsClient.SanRules.AllowUris);
    }

    [Theory]
    [InlineData("RSA", X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment)]
    [InlineData("EC", X509KeyUsageFlags.DigitalSignature)]
    [InlineData("Ed25519", X509KeyUsageFlags.DigitalSignature)]
    public void KeyUsageFor_TlsServerKey_DropsEnciphermentForNonRsa(string algorithm, X509KeyUsageFlags expected)
    {
        Assert.Equal(expected, CertificateProfiles.TlsServer.KeyUsageFor(new PublicKeyDescription(algorithm, 256, null)));
    }
}
