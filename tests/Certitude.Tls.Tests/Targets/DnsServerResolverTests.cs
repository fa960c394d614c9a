using System.Net;
using System.Net.Sockets;
using Certitude.Tls.Targets;
using Certitude.Tls.Tests.Support;

namespace Certitude.Tls.Tests.Targets;

/// <summary>Against a real dnsmasq on loopback holding the test names (and nothing else: it forwards nowhere).</summary>
public sealed class DnsServerResolverTests
{
    [Fact]
    public async Task ResolveAsync_NameWithIpv4AndIpv6Records_ReturnsBoth()
    {
        await using var dns = await DnsmasqServer.StartAsync(new Dictionary<string, string[]> { ["mail.certitude.test"] = ["127.0.0.5", "::1"] });
        var resolver = new DnsServerResolver(new IPEndPoint(IPAddress.Loopback, dns.Port), TimeSpan.FromSeconds(5));

        var addresses = await resolver.ResolveAsync("mail.certitude.test", TestContext.Current.CancellationToken);

        Assert.Equal(["127.0.0.5", "::1"], addresses.Select(a => a.ToString()));
    }

    [Fact]
    public async Task ResolveAsync_Alias_FollowsTheCnameInTheAnswer()
    {
        await using var dns = await DnsmasqServer.StartAsync(
            new Dictionary<string, string[]> { ["web.certitude.test"] = ["127.0.0.7"] },
            new Dictionary<string, string> { ["www.certitude.test"] = "web.certitude.test" });
        var resolver = new DnsServerResolver(new IPEndPoint(IPAddress.Loopback, dns.Port), TimeSpan.FromSeconds(5));

        var addresses = await resolver.ResolveAsync("www.certitude.test", TestContext.Current.CancellationToken);

        Assert.Equal([IPAddress.Parse("127.0.0.7")], addresses);
    }

    [Fact]
    public async Task ResolveAsync_UnknownName_ThrowsHostNotFoundOrReturnsNothing()
    {
        await using var dns = await DnsmasqServer.StartAsync(new Dictionary<string, string[]> { ["known.certitude.test"] = ["127.0.0.5"] });
        var resolver = new DnsServerResolver(new IPEndPoint(IPAddress.Loopback, dns.Port), TimeSpan.FromSeconds(5));

        // dnsmasq without upstream servers answers REFUSED or NXDOMAIN for names it does not hold: both are "does not resolve".
        var error = await Record.ExceptionAsync(() => resolver.ResolveAsync("unknown.certitude.test", TestContext.Current.CancellationToken));

        Assert.IsType<SocketException>(error);
    }

    [Fact]
    public async Task ResolveAsync_SilentServer_TimesOut()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var resolver = new DnsServerResolver((IPEndPoint)silent.LocalEndPoint!, TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<SocketException>(() => resolver.ResolveAsync("mail.certitude.test", TestContext.Current.CancellationToken));

        Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
    }

    [Theory]
    [InlineData("127.0.0.53", "127.0.0.53:53")]
    [InlineData("127.0.0.53:5353", "127.0.0.53:5353")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    public void TryParseServer_AddressWithOrWithoutPort_DefaultsToPort53(string text, string expected)
    {
        Assert.True(DnsServerResolver.TryParseServer(text, out var endpoint));
        Assert.Equal(expected, endpoint.ToString());
    }

    [Fact]
    public void TryParseServer_HostName_IsRefused()
    {
        Assert.False(DnsServerResolver.TryParseServer("dns.example.com", out _));
    }
}
