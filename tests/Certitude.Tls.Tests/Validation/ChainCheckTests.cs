using System.Net;
using System.Security.Cryptography.X509Certificates;
using Certitude.Tls.Validation;

namespace Certitude.Tls.Tests.Validation;

/// <summary>
/// Chains generated with CertificateRequest (root → intermediate → leaf). The System-trusted case is not tested: no
/// public CA's chain can be made here, and a real one would need the public internet (or a root added to the machine).
/// </summary>
public sealed class ChainCheckTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);

    // Whole seconds: certificate validity is encoded to the second.
    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _intermediate;

    public ChainCheckTests()
    {
        _root = TestPki.Root(_now);
        _intermediate = TestPki.Intermediate(_root, _now);
    }

    [Fact]
    public void Evaluate_ChainToOrganizationAnchor_IsOrganizationTrustedWithoutProblems()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-10), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData, _intermediate.RawData], "www.example.test", _now, Window, [_root]);

        Assert.Equal(ChainTrust.Organization, report.Trust);
        Assert.Empty(report.Problems);
        Assert.True(report.HostnameMatches);
        Assert.False(report.IncompleteChain);
        Assert.False(report.SelfSigned);
        Assert.Equal("CN=www.example.test", report.Subject);
        Assert.Equal("CN=Chain Test Issuing CA, O=Certitude Tests", report.Issuer);
        Assert.Equal(_now.AddDays(200), report.NotAfter);
    }

    [Fact]
    public void Evaluate_PrivateChainWithoutAnchor_IsUntrustedAndItsRootUnknown()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-10), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData, _intermediate.RawData], "www.example.test", _now, Window);

        Assert.Equal(ChainTrust.Untrusted, report.Trust);

        // The intermediate's issuer is nowhere to be found: a missing link or an unknown root, either way incomplete.
        Assert.Equal(["untrusted", "incomplete-chain"], report.Problems);
    }

    [Fact]
    public void Evaluate_PrivateChainUpToItsRootWithoutAnchor_IsUntrustedButComplete()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-10), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData, _intermediate.RawData, _root.RawData], "www.example.test", _now, Window);

        Assert.Equal(ChainTrust.Untrusted, report.Trust);
        Assert.False(report.IncompleteChain);
        Assert.Equal(["untrusted"], report.Problems);
    }

    [Fact]
    public void Evaluate_LeafWithoutItsIntermediate_IsIncompleteAndUntrusted()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-10), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData], "www.example.test", _now, Window, [_root]);

        Assert.Equal(ChainTrust.Untrusted, report.Trust);
        Assert.True(report.IncompleteChain);
        Assert.Equal(["untrusted", "incomplete-chain"], report.Problems);
    }

    [Fact]
    public void Evaluate_LeafWithoutItsIntermediateWhichIsAnAnchorToo_IsTrustedButIncomplete()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-10), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData], "www.example.test", _now, Window, [_root, _intermediate]);

        Assert.Equal(ChainTrust.Organization, report.Trust);
        Assert.Equal(["incomplete-chain"], report.Problems);
    }

    [Fact]
    public void Evaluate_ExpiredLeaf_IsExpiredButStillTrusted()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-100), _now.AddDays(-1));

        var report = ChainCheck.Evaluate([leaf.RawData, _intermediate.RawData], "www.example.test", _now, Window, [_root]);

        Assert.True(report.Expired);
        Assert.False(report.Expiring);
        Assert.Equal(ChainTrust.Organization, report.Trust);
        Assert.Equal(["expired"], report.Problems);
    }

    [Fact]
    public void Evaluate_ExpiredIntermediate_IsUntrusted()
    {
        using var expiredIntermediate = TestPki.Intermediate(_root, _now, notAfter: _now.AddDays(-1));
        using var leaf = TestPki.Leaf(expiredIntermediate, _now.AddDays(-10), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData, expiredIntermediate.RawData], "www.example.test", _now, Window, [_root]);

        Assert.Equal(ChainTrust.Untrusted, report.Trust);
        Assert.Equal(["untrusted"], report.Problems);
    }

    [Fact]
    public void Evaluate_LeafEndingWithinTheWindow_IsExpiring()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-80), _now.AddDays(10));
        byte[][] chain = [leaf.RawData, _intermediate.RawData];

        var report = ChainCheck.Evaluate(chain, null, _now, Window, [_root]);
        var narrow = ChainCheck.Evaluate(chain, null, _now, TimeSpan.FromDays(5), [_root]);

        Assert.True(report.Expiring);
        Assert.Equal(["expiring"], report.Problems);
        Assert.False(narrow.Expiring);
        Assert.Empty(narrow.Problems);
    }

    [Fact]
    public void Evaluate_LeafNotValidYet_IsNotYetValid()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(1), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData, _intermediate.RawData], null, _now, Window, [_root]);

        Assert.True(report.NotYetValid);
        Assert.False(report.Expiring);
        Assert.Equal(["not-yet-valid"], report.Problems);
    }

    [Fact]
    public void Evaluate_SelfSignedLeaf_IsSelfSignedUntrustedAndComplete()
    {
        using var leaf = TestPki.Leaf(null, _now.AddDays(-1), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData], "www.example.test", _now, Window, [_root]);

        Assert.True(report.SelfSigned);
        Assert.False(report.IncompleteChain);
        Assert.Equal(ChainTrust.Untrusted, report.Trust);
        Assert.Equal(["self-signed", "untrusted"], report.Problems);
    }

    [Fact]
    public void Evaluate_SelfSignedLeafThatIsAnAnchor_IsOrganizationTrusted()
    {
        using var leaf = TestPki.Leaf(null, _now.AddDays(-1), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData], "www.example.test", _now, Window, [leaf]);

        Assert.Equal(ChainTrust.Organization, report.Trust);
        Assert.Equal(["self-signed"], report.Problems);
    }

    [Fact]
    public void Evaluate_SubjectEqualsIssuerButSignedByAnotherKey_IsNotSelfSigned()
    {
        using var leaf = TestPki.SelfIssuedSignedByAnother(_now);

        var report = ChainCheck.Evaluate([leaf.RawData], null, _now, Window);

        Assert.False(report.SelfSigned);
        Assert.Equal(ChainTrust.Untrusted, report.Trust);
        Assert.DoesNotContain("self-signed", report.Problems);
    }

    [Theory]
    [InlineData("www.example.test", true)]
    [InlineData("WWW.Example.Test.", true)]
    [InlineData("api.example.test", true)]
    [InlineData("deep.api.example.test", false)]
    [InlineData("example.test", false)]
    [InlineData("other.test", false)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("::2", false)]
    public void Evaluate_HostName_MatchesSubjectAlternativeNames(string hostName, bool matches)
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-1), _now.AddDays(200), ["www.example.test", "*.example.test"],
            [IPAddress.Loopback, IPAddress.IPv6Loopback]);

        var report = ChainCheck.Evaluate([leaf.RawData, _intermediate.RawData], hostName, _now, Window, [_root]);

        Assert.Equal(matches, report.HostnameMatches);
        Assert.Equal(matches ? [] : ["hostname-mismatch"], report.Problems);
    }

    [Fact]
    public void Evaluate_CommonNameWithoutMatchingSan_DoesNotMatch()
    {
        // Modern clients ignore the common name (RFC 6125 §6.4.4).
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-1), _now.AddDays(200), ["other.example.test"], commonName: "www.example.test");

        var report = ChainCheck.Evaluate([leaf.RawData, _intermediate.RawData], "www.example.test", _now, Window, [_root]);

        Assert.False(report.HostnameMatches);
    }

    [Fact]
    public void Evaluate_NoHostName_LeavesTheMatchUnknown()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-1), _now.AddDays(200));

        Assert.Null(ChainCheck.Evaluate([leaf.RawData, _intermediate.RawData], null, _now, Window, [_root]).HostnameMatches);
    }

    [Fact]
    public void Evaluate_SeveralFindings_AreListedInTheDocumentedOrder()
    {
        using var leaf = TestPki.Leaf(null, _now.AddDays(-100), _now.AddDays(-1));

        var report = ChainCheck.Evaluate([leaf.RawData], "elsewhere.test", _now, Window);

        Assert.Equal(["expired", "self-signed", "untrusted", "hostname-mismatch"], report.Problems);
    }

    [Fact]
    public void Evaluate_GarbageLeaf_IsOnlyMalformed()
    {
        var report = ChainCheck.Evaluate([[0x30, 0x03, 0x02, 0x01, 0x05], _intermediate.RawData], "www.example.test", _now, Window, [_root]);

        Assert.Equal(["malformed-certificate"], report.Problems);
        Assert.Null(report.HostnameMatches);
        Assert.Null(report.NotAfter);
        Assert.Null(report.Subject);
        Assert.False(report.Expired || report.Expiring || report.NotYetValid || report.SelfSigned || report.IncompleteChain);
    }

    [Fact]
    public void Evaluate_EmptyChain_IsMalformed()
    {
        Assert.Equal(["malformed-certificate"], ChainCheck.Evaluate([], null, _now, Window).Problems);
    }

    [Fact]
    public void Evaluate_GarbageAfterTheLeaf_IsIgnored()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-1), _now.AddDays(200));

        var report = ChainCheck.Evaluate([leaf.RawData, [1, 2, 3], _intermediate.RawData], null, _now, Window, [_root]);

        Assert.Equal(ChainTrust.Organization, report.Trust);
        Assert.Empty(report.Problems);
    }

    public void Dispose()
    {
        _intermediate.Dispose();
        _root.Dispose();
    }
}
