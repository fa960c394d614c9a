using System.Net;
using Certitude.Tls.Targets;

namespace Certitude.Tls.Tests.Targets;

/// <summary>Only "localhost": it comes from the hosts file, so no query leaves the machine.</summary>
public sealed class SystemHostNameResolverTests
{
    [Fact]
    public async Task ResolveAsync_Localhost_GivesTheLoopbackAddressOnce()
    {
        var addresses = await new SystemHostNameResolver().ResolveAsync("localhost", TestContext.Current.CancellationToken);

        Assert.Contains(IPAddress.Loopback, addresses);
        Assert.Equal(addresses.Count, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.True(IPAddress.IsLoopback(a)));
    }
}
