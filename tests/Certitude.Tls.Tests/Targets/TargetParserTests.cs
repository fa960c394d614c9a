using System.Net;
using Certitude.Tls.StartTls;
using Certitude.Tls.Targets;

namespace Certitude.Tls.Tests.Targets;

public sealed class TargetParserTests
{
    [Fact]
    public void Parse_CidrRangeAndSingleAddress_MergesIntoDisjointRanges()
    {
        var targets = TargetParser.Parse(["10.0.0.0/30", "10.0.0.2-10.0.0.6", "10.0.0.9"], "443");

        Assert.Equal(["10.0.0.0-10.0.0.6", "10.0.0.9"], targets.Ranges.Select(r => r.ToString()));
        Assert.Equal(8UL, targets.AddressEndpointCount);
        Assert.Equal(
            ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.9"],
            targets.Endpoints().Select(e => e.Address.ToString()));
    }

    [Fact]
    public void Parse_CidrWithHostBits_CoversTheWholeBlock()
    {
        var range = Assert.Single(TargetParser.Parse(["192.168.1.77/24"], "443").Ranges);

        Assert.Equal("192.168.1.0/24", range.ToString());
        Assert.Equal(256UL, range.Count);
    }

    [Fact]
    public void Parse_Ipv6CidrAndBracketedAddressWithPort_AreScanned()
    {
        var targets = TargetParser.Parse(["2001:db8::/126", "[2001:db8::1:1]:8443"], "443");

        Assert.Equal("2001:db8::/126", Assert.Single(targets.Ranges).ToString());
        var withPort = Assert.Single(targets.AddressesWithPort);
        Assert.Equal(IPAddress.Parse("2001:db8::1:1"), withPort.Range.FirstAddress);
        Assert.Equal(8443, withPort.Port!.Port);
        Assert.Equal(5, targets.Endpoints().Count());
    }

    [Fact]
    public void Parse_Exclusions_AreCutOutOfRanges()
    {
        var targets = TargetParser.Parse(["10.0.0.0/24"], "443", ["10.0.0.0/26", "10.0.0.200", "10.0.0.250-10.0.0.255"]);

        Assert.Equal(["10.0.0.64-10.0.0.199", "10.0.0.201-10.0.0.249"], targets.Ranges.Select(r => r.ToString()));
        Assert.DoesNotContain(targets.Endpoints(), e => e.Address.Equals(IPAddress.Parse("10.0.0.200")));
    }

    [Fact]
    public void Parse_HostNamesWithAndWithoutPort_AreKeptForResolution()
    {
        var targets = TargetParser.Parse(["Mail.Example.COM", "example.com:8443", "localhost"], "443,993");

        Assert.Equal(["mail.example.com", "example.com", "localhost"], targets.Hosts.Select(h => h.Name));
        var resolved = new Dictionary<string, IReadOnlyList<IPAddress>>
        {
            ["mail.example.com"] = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("::1")],
            ["example.com"] = [IPAddress.Parse("127.0.0.3")],
        };
        var endpoints = targets.Endpoints(resolved).Select(e => e.ToString()).ToList();

        Assert.Equal(
            ["127.0.0.2:443 (mail.example.com)", "[::1]:443 (mail.example.com)", "127.0.0.2:993 (mail.example.com)", "[::1]:993 (mail.example.com)",
             "127.0.0.3:8443 (example.com)"],
            endpoints);
    }

    [Fact]
    public void Parse_ExcludedAddressOfAHostName_IsNotScanned()
    {
        var targets = TargetParser.Parse(["mail.example.com"], "443", ["127.0.0.2"]);
        var resolved = new Dictionary<string, IReadOnlyList<IPAddress>> { ["mail.example.com"] = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")] };

        Assert.Equal(["127.0.0.3:443 (mail.example.com)"], targets.Endpoints(resolved).Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_NoPortList_UsesTheDefaultTlsAndStartTlsPorts()
    {
        var targets = TargetParser.Parse(["10.0.0.1"]);

        Assert.Equal(TargetParser.DefaultPorts, targets.Ports.Select(p => p.Port));
        Assert.Equal(StartTlsProtocol.Smtp, targets.Ports.Single(p => p.Port == 587).StartTls);
        Assert.Equal(StartTlsProtocol.PostgreSql, targets.Ports.Single(p => p.Port == 5432).StartTls);
        Assert.Equal(StartTlsProtocol.None, targets.Ports.Single(p => p.Port == 993).StartTls);
    }

    [Fact]
    public void ParsePorts_ListsRangesAndProtocols_AreExpanded()
    {
        var ports = TargetParser.ParsePorts("443, 8000-8002,2525/smtp,25/tls,1143/IMAP");

        Assert.Equal(["443", "8000", "8001", "8002", "2525/smtp", "25", "1143/imap"], ports.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("10.0.0.0/33", "not a valid CIDR range")]
    [InlineData("10.0.0.300", "is not an address, CIDR range, address range or host name")]
    [InlineData("10.0.0.9-10.0.0.1", "the lower first")]
    [InlineData("10.0.0.1-2001:db8::1", "same family")]
    [InlineData("exa_mple.com", "is not an address")]
    [InlineData("example.com:70000", "is not a port")]
    [InlineData("-bad.example.com", "is not an address")]
    public void Parse_InvalidTarget_NamesTheItem(string target, string expected)
    {
        var error = Assert.Throws<TargetSyntaxException>(() => TargetParser.Parse([target], "443"));

        Assert.Contains(target, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "is not a port")]
    [InlineData("65536", "is not a port")]
    [InlineData("100-90", "the lower first")]
    [InlineData("25/gopher", "unknown protocol")]
    [InlineData(",", "empty")]
    public void ParsePorts_InvalidPorts_AreRefused(string ports, string expected)
    {
        var error = Assert.Throws<TargetSyntaxException>(() => TargetParser.ParsePorts(ports));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralInvalidItems_ReportsEveryOne()
    {
        var error = Assert.Throws<TargetSyntaxException>(() => TargetParser.Parse(["10.0.0.1", "bad_host", "10.1.0.0/40"], "443,0", ["nonsense!"]));

        Assert.Equal(4, error.Errors.Count);
    }

    [Fact]
    public void Parse_TooManyEndpoints_IsRefusedBeforeScanning()
    {
        var error = Assert.Throws<TargetSyntaxException>(() => TargetParser.Parse(["10.0.0.0/8"], null));

        Assert.Contains("more than the limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugeIpv6Block_IsRefusedNotEnumerated()
    {
        Assert.Throws<TargetSyntaxException>(() => TargetParser.Parse(["2001:db8::/64"], "443"));
    }

    [Fact]
    public void Parse_NoTargets_IsAnError()
    {
        Assert.Throws<TargetSyntaxException>(() => TargetParser.Parse([" "], "443"));
    }
}
