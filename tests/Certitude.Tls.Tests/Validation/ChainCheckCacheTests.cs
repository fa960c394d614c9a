using System.Security.Cryptography.X509Certificates;
using Certitude.Tls.Validation;

namespace Certitude.Tls.Tests.Validation;

public sealed class ChainCheckCacheTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);

    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _intermediate;

    public ChainCheckCacheTests()
    {
        _root = TestPki.Root(_now);
        _intermediate = TestPki.Intermediate(_root, _now);
    }

    [Fact]
    public void Evaluate_SameChainAndName_ReturnsTheSameReport()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-10), _now.AddDays(200));
        var cache = new ChainCheckCache(_now, Window, [_root]);

        var first = cache.Evaluate([leaf.RawData, _intermediate.RawData], "www.example.test");
        var second = cache.Evaluate([(byte[])leaf.RawData.Clone(), (byte[])_intermediate.RawData.Clone()], "www.example.test");

        Assert.Same(first, second);
        var direct = ChainCheck.Evaluate([leaf.RawData, _intermediate.RawData], "www.example.test", _now, Window, [_root]);
        Assert.Equal(direct.Trust, first.Trust);
        Assert.Equal(direct.Problems, first.Problems);
    }

    [Fact]
    public void Evaluate_OtherHostNameOrOtherChain_IsJudgedOnItsOwn()
    {
        using var leaf = TestPki.Leaf(_intermediate, _now.AddDays(-10), _now.AddDays(200));
        var cache = new ChainCheckCache(_now, Window, [_root]);

        var matching = cache.Evaluate([leaf.RawData, _intermediate.RawData], "www.example.test");
        var otherName = cache.Evaluate([leaf.RawData, _intermediate.RawData], "mail.other.test");
        var leafOnly = cache.Evaluate([leaf.RawData], "www.example.test");

        Assert.DoesNotContain("hostname-mismatch", matching.Problems);
        Assert.Contains("hostname-mismatch", otherName.Problems);
        Assert.Contains("incomplete-chain", leafOnly.Problems);
    }

    public void Dispose()
    {
        _intermediate.Dispose();
        _root.Dispose();
    }
}
