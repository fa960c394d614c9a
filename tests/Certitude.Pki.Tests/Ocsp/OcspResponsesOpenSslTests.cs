using Certitude.Pki.Ocsp;

namespace Certitude.Pki.Tests.Ocsp;

/// <summary>Error responses from <see cref="OcspResponses"/>, read by `openssl ocsp -respin -resp_text`.</summary>
public sealed class OcspResponsesOpenSslTests
{
    [Theory]
    [InlineData(OcspResponseStatus.MalformedRequest, "malformedrequest (1)")]
    [InlineData(OcspResponseStatus.InternalError, "internalerror (2)")]
    [InlineData(OcspResponseStatus.TryLater, "trylater (3)")]
    [InlineData(OcspResponseStatus.SigRequired, "sigrequired (5)")]
    [InlineData(OcspResponseStatus.Unauthorized, "unauthorized (6)")]
    public async Task Error_Status_OpenSslReadsResponderError(OcspResponseStatus status, string expected)
    {
        using var pki = OcspTestPki.Create("ec");
        await File.WriteAllBytesAsync(pki.File("error.der"), OcspResponses.Error(status), TestContext.Current.CancellationToken);

        var (_, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin error.der -resp_text");

        Assert.Contains("Responder Error: " + expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_Successful_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OcspResponses.Error(OcspResponseStatus.Successful));
        Assert.Throws<ArgumentOutOfRangeException>(() => OcspResponses.Error((OcspResponseStatus)4));
    }
}
