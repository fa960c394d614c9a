using Certitude.Pki.Issuance;

namespace Certitude.Pki.Tests.Issuance;

public sealed class ProfilePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly PublicKeyDescription Rsa2048 = new("RSA", 2048, null);
    private static readonly PublicKeyDescription P256 = new("EC", 256, "P-256");
    private static readonly CertificateProfile Public = CertificateProfiles.PublicTlsServer;
    private static readonly CertificateProfile Private = CertificateProfiles.TlsServer;

    [Fact]
    public void Check_ValidPublicRequest_NoViolations()
    {
        var names = new[] { Dns("www.example.com"), Dns("*.example.com"), Dns("xn--bcher-kva.example.de") };

        Assert.Empty(ProfilePolicy.Check(Public, P256, names, 90, Now));
    }

    [Fact]
    public void Check_DuplicateNames_NoViolations()
    {
        Assert.Empty(ProfilePolicy.Check(Private, Rsa2048, [Dns("a.example.com"), Dns("a.example.com")], null, Now));
    }

    [Fact]
    public void Check_Rsa1024_RefusedBelowMinimum()
    {
        var violations = ProfilePolicy.Check(Public, new PublicKeyDescription("RSA", 1024, null), [Dns("www.example.com")], null, Now);

        Assert.Equal(["RSA keys of 1024 bits are below the profile's minimum of 2048."], violations);
    }

    [Fact]
    public void Check_Rsa8192_RefusedAboveMaximum()
    {
        var violations = ProfilePolicy.Check(Private, new PublicKeyDescription("RSA", 8192, null), [Dns("www.example.com")], null, Now);

        Assert.Equal(["RSA keys of 8192 bits are above the profile's maximum of 4096."], violations);
    }

    [Fact]
    public void Check_RsaModulusNotMultipleOf8_RefusedByPublicProfileOnly()
    {
        // BR §6.1.5: the modulus size in bits must be evenly divisible by 8.
        var key = new PublicKeyDescription("RSA", 2049, null);

        Assert.Equal(
            ["RSA keys of 2049 bits are not allowed by the public-tls-server profile: the modulus must be a multiple of 8 bits."],
            ProfilePolicy.Check(Public, key, [Dns("www.example.com")], null, Now));
        Assert.Empty(ProfilePolicy.Check(Private, key, [Dns("www.example.com")], null, Now));
    }

    [Fact]
    public void Check_EcP521_RefusedAsUnlistedCurve()
    {
        var violations = ProfilePolicy.Check(Private, new PublicKeyDescription("EC", 521, "P-521"), [Dns("www.example.com")], null, Now);

        Assert.Equal(["EC keys on curve P-521 are not allowed by the tls-server profile; it accepts P-256, P-384."], violations);
    }

    [Fact]
    public void Check_Ed25519_RefusedByPublicProfileAcceptedByPrivate()
    {
        var key = new PublicKeyDescription("Ed25519", 255, null);

        Assert.Equal(
            ["Ed25519 keys are not allowed by the public-tls-server profile; it accepts RSA (2048–4096 bits), EC (P-256, P-384)."],
            ProfilePolicy.Check(Public, key, [Dns("www.example.com")], null, Now));
        Assert.Empty(ProfilePolicy.Check(Private, key, [Dns("www.example.com")], null, Now));
    }

    [Fact]
    public void Check_Sha1Signature_RefusedByPublicProfileOnly()
    {
        Assert.Equal(
            ["The CSR is signed with SHA-1, which the public-tls-server profile refuses; sign it with SHA-256 or stronger."],
            ProfilePolicy.Check(Public, Rsa2048, [Dns("www.example.com")], null, Now, signedWithSha1: true));
        Assert.Empty(ProfilePolicy.Check(Private, Rsa2048, [Dns("www.example.com")], null, Now, signedWithSha1: true));
    }

    [Theory]
    [InlineData("intranet.local")]
    [InlineData("intranet")]
    [InlineData("db.internal")]
    [InlineData("router.home.arpa")]
    [InlineData("dc.corp")]
    [InlineData("app.localhost")]
    [InlineData("*.svc.internal")]
    public void Check_InternalName_RefusedByPublicProfileAcceptedByPrivate(string name)
    {
        Assert.Equal(
            [$"'{name}' is an internal name; the public-tls-server profile allows only publicly resolvable names."],
            ProfilePolicy.Check(Public, P256, [Dns(name)], null, Now));
        Assert.Empty(ProfilePolicy.Check(Private, P256, [Dns(name)], null, Now));
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("2001:db8::1")]
    public void Check_IpAddress_RefusedByPublicProfileAcceptedByPrivate(string address)
    {
        Assert.Equal(
            [$"'{address}': IP addresses are not allowed by the public-tls-server profile."],
            ProfilePolicy.Check(Public, P256, [Dns("www.example.com"), Ip(address)], null, Now));
        Assert.Empty(ProfilePolicy.Check(Private, P256, [Ip(address)], null, Now));
    }

    [Theory]
    [InlineData("300.1.2.3")]
    [InlineData("1.2.3")]
    [InlineData("01.2.3.4")]
    [InlineData("fe80::1%eth0")]
    [InlineData("2001:db8::g")]
    [InlineData("localhost")]
    public void Check_BadIpSyntax_Refused(string address)
    {
        Assert.Equal([$"'{address}' is not a valid IPv4 or IPv6 address."], ProfilePolicy.Check(Private, P256, [Ip(address)], null, Now));
    }

    [Theory]
    [InlineData("-a.example.com", "the label '-a' starts or ends with a hyphen")]
    [InlineData("a-.example.com", "the label 'a-' starts or ends with a hyphen")]
    [InlineData("a..example.com", "it has an empty label (two dots in a row, or a leading dot)")]
    [InlineData(".example.com", "it has an empty label (two dots in a row, or a leading dot)")]
    [InlineData("a_b.example.com", "'_' is not allowed; use letters, digits and hyphens")]
    [InlineData("a b.example.com", "' ' is not allowed; use letters, digits and hyphens")]
    [InlineData("bücher.example.com", "it has characters outside ASCII; write internationalized names in their xn-- (Punycode) form")]
    public void Check_BadDnsSyntax_RefusedWithReason(string name, string reason)
    {
        Assert.Equal([$"'{name}' is not a valid DNS name: {reason}."], ProfilePolicy.Check(Private, P256, [Dns(name)], null, Now));
    }

    [Fact]
    public void Check_LabelOf64Characters_Refused()
    {
        var label = new string('a', 64);

        var violation = Assert.Single(ProfilePolicy.Check(Private, P256, [Dns(label + ".example.com")], null, Now));

        Assert.Contains("is 64 characters long, more than 63", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NameOf254Characters_Refused()
    {
        // RFC 1035 §2.3.4: 255 octets on the wire, 253 characters as text.
        var name = string.Join('.', Enumerable.Repeat(new string('a', 50), 5));
        Assert.Equal(254, name.Length);

        var violation = Assert.Single(ProfilePolicy.Check(Private, P256, [Dns(name)], null, Now));

        Assert.EndsWith("is 254 characters long; DNS names have at most 253.", violation, StringComparison.Ordinal);
        Assert.Empty(ProfilePolicy.Check(Private, P256, [Dns(name[1..])], null, Now));
    }

    [Fact]
    public void Check_TrailingDot_Refused()
    {
        Assert.Equal(
            ["'www.example.com.' ends with a dot; write the name without it."],
            ProfilePolicy.Check(Public, P256, [Dns("www.example.com.")], null, Now));
    }

    [Fact]
    public void Check_IpAddressAsDnsName_Refused()
    {
        Assert.Equal(
            ["'192.0.2.1' is an IP address, not a DNS name; request it as an IP address name."],
            ProfilePolicy.Check(Private, P256, [Dns("192.0.2.1")], null, Now));
    }

    [Theory]
    [InlineData("a.*.example.com")]
    [InlineData("*a.example.com")]
    [InlineData("a*.example.com")]
    [InlineData("*.*.example.com")]
    [InlineData("www.example.*")]
    public void Check_WildcardOutsideLeftMostLabel_Refused(string name)
    {
        var expected = $"'{name}' has a wildcard in the wrong place: \"*\" is allowed only as the whole left-most label, as in \"*.example.com\".";

        Assert.Equal([expected], ProfilePolicy.Check(Public, P256, [Dns(name)], null, Now));
        Assert.Equal([expected], ProfilePolicy.Check(Private, P256, [Dns(name)], null, Now));
    }

    [Fact]
    public void Check_LoneWildcard_Refused()
    {
        Assert.Equal(
            ["'*' is not a valid wildcard name: it needs a domain after \"*.\"."],
            ProfilePolicy.Check(Private, P256, [Dns("*")], null, Now));
    }

    [Fact]
    public void Check_WildcardUnderTopLevelDomain_RefusedByPublicProfile()
    {
        Assert.Equal(
            ["'*.com' puts a wildcard directly under a top-level domain; the public-tls-server profile does not allow it."],
            ProfilePolicy.Check(Public, P256, [Dns("*.com")], null, Now));
    }

    [Fact]
    public void Check_WildcardInClientProfile_Refused()
    {
        Assert.Equal(
            ["'*.example.com': wildcard names are not allowed by the tls-client profile."],
            ProfilePolicy.Check(CertificateProfiles.TlsClient, P256, [Dns("*.example.com")], null, Now));
    }

    [Fact]
    public void Check_ClientNames_EmailAndUriAcceptedByClientProfileOnly()
    {
        SubjectAlternativeName[] names =
        [
            new(SubjectAlternativeNameType.Email, "alice@example.com"),
            new(SubjectAlternativeNameType.Uri, "spiffe://example.com/workload/api"),
        ];

        Assert.Empty(ProfilePolicy.Check(CertificateProfiles.TlsClient, P256, names, null, Now));
        Assert.Equal(
            [
                "'alice@example.com': email addresses are not allowed by the public-tls-server profile.",
                "'spiffe://example.com/workload/api': URIs are not allowed by the public-tls-server profile.",
            ],
            ProfilePolicy.Check(Public, P256, names, null, Now));
    }

    [Fact]
    public void Check_BadEmail_Refused()
    {
        Assert.Equal(
            ["'alice@' is not a valid email address."],
            ProfilePolicy.Check(CertificateProfiles.TlsClient, P256, [new(SubjectAlternativeNameType.Email, "alice@")], null, Now));
    }

    [Fact]
    public void Check_NoNames_Refused()
    {
        Assert.Equal(
            ["The request names no subject alternative name; the public-tls-server profile needs at least one."],
            ProfilePolicy.Check(Public, P256, [], null, Now));
    }

    [Fact]
    public void Check_101Names_RefusedOverMaximum()
    {
        var names = Enumerable.Range(1, 101).Select(i => Dns($"host{i}.example.com")).ToList();

        Assert.Equal(
            ["The request names 101 subject alternative names; the public-tls-server profile allows at most 100."],
            ProfilePolicy.Check(Public, P256, names, null, Now));
    }

    [Fact]
    public void Check_PublicValidityOverSchedule_RefusedNamingTheSchedule()
    {
        // 2026-11-27 falls in SC-081's 200-day period (2026-03-15 to 2027-03-14).
        Assert.Equal(
            ["The public-tls-server profile allows at most 200 days from 2026-11-27 (CA/Browser Forum schedule); 365 were requested."],
            ProfilePolicy.Check(Public, P256, [Dns("www.example.com")], 365, Now));
    }

    [Fact]
    public void Check_PrivateValidityOverProfileMaximum_Refused()
    {
        Assert.Equal(
            ["The tls-server profile allows at most 825 days; 1000 were requested."],
            ProfilePolicy.Check(Private, P256, [Dns("www.example.com")], 1000, Now));
        Assert.Empty(ProfilePolicy.Check(Private, P256, [Dns("www.example.com")], 825, Now));
    }

    [Fact]
    public void Check_ZeroDays_Refused()
    {
        Assert.Equal(
            ["The validity must be at least 1 day; 0 were requested."],
            ProfilePolicy.Check(Private, P256, [Dns("www.example.com")], 0, Now));
    }

    [Fact]
    public void Check_SeveralProblems_AllReported()
    {
        var violations = ProfilePolicy.Check(
            Public, new PublicKeyDescription("RSA", 1024, null), [Dns("intranet.local"), Ip("10.0.0.1")], 400, Now, signedWithSha1: true);

        Assert.Equal(5, violations.Count);
    }

    [Theory]
    [InlineData("tls-server", null, "2026-11-27", 365)]
    [InlineData("tls-server", 1000, "2026-11-27", 825)]
    [InlineData("tls-server", 30, "2026-11-27", 30)]
    [InlineData("public-tls-server", null, "2026-01-10", 398)]
    [InlineData("public-tls-server", 500, "2026-03-14", 398)]
    [InlineData("public-tls-server", null, "2026-03-15", 200)]
    [InlineData("public-tls-server", 365, "2026-11-27", 200)]
    [InlineData("public-tls-server", 90, "2026-11-27", 90)]
    [InlineData("public-tls-server", null, "2027-03-15", 100)]
    [InlineData("public-tls-server", 90, "2029-03-15", 47)]
    [InlineData("tls-client", null, "2029-03-15", 365)]
    public void ValidityDays_Request_CappedByProfileAndSchedule(string profile, int? requested, string date, int expected)
    {
        // Expected values for public-tls-server follow CA/Browser Forum Ballot SC-081 (BR §6.3.2).
        var now = DateTimeOffset.Parse(date + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, ProfilePolicy.ValidityDays(CertificateProfiles.Find(profile)!, requested, now));
    }

    [Fact]
    public void ValidityDays_ZeroRequested_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProfilePolicy.ValidityDays(Private, 0, Now));
    }

    private static SubjectAlternativeName Dns(string name)
    {
        return new SubjectAlternativeName(SubjectAlternativeNameType.Dns, name);
    }

    private static SubjectAlternativeName Ip(string address)
    {
        return new SubjectAlternativeName(SubjectAlternativeNameType.IpAddress, address);
    }
}
