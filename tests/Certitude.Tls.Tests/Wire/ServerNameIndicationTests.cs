using Certitude.Tls.Wire;

namespace Certitude.Tls.Tests.Wire;

public sealed class ServerNameIndicationTests
{
    [Theory]
    [InlineData("example.test", "example.test")]
    [InlineData("example.test.", "example.test")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("127.0.0.1", null)]
    [InlineData("::1", null)]
    [InlineData("[2001:db8::1]", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("has space.test", null)]
    public void ToHostName_Name_ReturnsWhatRfc6066Allows(string? name, string? expected)
    {
        Assert.Equal(expected, ServerNameIndication.ToHostName(name));
    }

    [Fact]
    public void ToHostName_AsciiName_ReturnsSameInstance()
    {
        var name = "probe.example.test";

        Assert.Same(name, ServerNameIndication.ToHostName(name));
    }
}
