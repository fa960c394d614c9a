using Certitude.Pki.Issuance;

namespace Certitude.Pki.Tests.Issuance;

public sealed class BaselineRequirementsTests
{
    // CA/Browser Forum Ballot SC-081v3, BR §6.3.2: 398 days before 2026-03-15, 200 days from 2026-03-15, 100 days from
    // 2027-03-15, 47 days from 2029-03-15.
    [Theory]
    [InlineData("2020-09-01T00:00:00Z", 398)]
    [InlineData("2026-03-14T00:00:00Z", 398)]
    [InlineData("2026-03-14T23:59:59Z", 398)]
    [InlineData("2026-03-15T00:00:00Z", 200)]
    [InlineData("2026-11-27T12:00:00Z", 200)]
    [InlineData("2027-03-14T23:59:59Z", 200)]
    [InlineData("2027-03-15T00:00:00Z", 100)]
    [InlineData("2029-03-14T23:59:59Z", 100)]
    [InlineData("2029-03-15T00:00:00Z", 47)]
    [InlineData("2040-01-01T00:00:00Z", 47)]
    public void MaximumValidityDays_IssuanceDate_FollowsSc081Schedule(string issuedAt, int expected)
    {
        Assert.Equal(expected, BaselineRequirements.MaximumValidityDays(DateTimeOffset.Parse(issuedAt, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void MaximumValidityDays_OffsetTime_ComparedInUtc()
    {
        // 2026-03-15 01:00 in UTC+02:00 is still 2026-03-14 23:00 UTC, under the 398-day rule.
        Assert.Equal(398, BaselineRequirements.MaximumValidityDays(new DateTimeOffset(2026, 3, 15, 1, 0, 0, TimeSpan.FromHours(2))));
    }

    [Theory]
    [InlineData("intranet")]
    [InlineData("printer.local")]
    [InlineData("db.internal")]
    [InlineData("LOCALHOST")]
    [InlineData("app.localhost")]
    [InlineData("x.test")]
    [InlineData("www.example")]
    [InlineData("host.invalid")]
    [InlineData("nas.lan")]
    [InlineData("router.home.arpa")]
    [InlineData("dc01.corp")]
    [InlineData("*.corp")]
    [InlineData("hidden.onion")]
    [InlineData("host.local.")]
    [InlineData("10.0.0.1")]
    public void IsInternalName_ReservedOrSingleLabel_True(string name)
    {
        Assert.True(BaselineRequirements.IsInternalName(name));
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("a.example.com")]
    [InlineData("*.example.org")]
    [InlineData("xn--bcher-kva.de")]
    [InlineData("local.example.net")]
    [InlineData("corp.example.com")]
    public void IsInternalName_PublicName_False(string name)
    {
        Assert.False(BaselineRequirements.IsInternalName(name));
    }
}
