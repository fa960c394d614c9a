using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Certitude.Pki.Ocsp;

namespace Certitude.Pki.Tests.Ocsp;

/// <summary>
/// Responses signed by <see cref="OcspResponseSigner"/>, judged by `openssl ocsp -respin`. Two runs per response, since
/// openssl replaces a request read with -reqin by a new one (with a new nonce) as soon as -cert is given: `-reqin` checks
/// the signature, the chain and the echoed nonce and prints the response (-resp_text); `-cert ... -no_nonce` prints the
/// per-certificate summary ("leaf0.pem: revoked", "Reason: keyCompromise").
/// </summary>
public sealed class OcspResponseSignerOpenSslTests
{
    private const string VerifyOk = "Response verify OK";

    private static readonly DateTimeOffset RevokedAt = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public async Task Sign_GoodByCa_OpenSslVerifiesAndNonceMatches(string caKey)
    {
        using var pki = OcspTestPki.Create(caKey);
        var request = OcspRequestReader.Read(await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem"));

        await WriteResponseAsync(pki, pki.CaSigner(), request, OcspCertificateStatus.Good);

        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin req.der -issuer int.pem -CAfile root.pem -resp_text");
        Assert.True(exitCode == 0, output);
        Assert.Contains(VerifyOk, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Nonce Verify error", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", output, StringComparison.Ordinal);
        Assert.Contains("Cert Status: good", output, StringComparison.Ordinal);
        Assert.Equal("0410" + Convert.ToHexString(request.Nonce!), Assert.Single(OcspOpenSsl.Values(output, "OCSP Nonce:")));
        Assert.Equal(Convert.ToHexString(pki.Leaves[0].SerialNumberBytes.Span), Assert.Single(OcspOpenSsl.Values(output, "Serial Number:")));

        var summary = await SummaryAsync(pki, "-cert leaf0.pem");
        Assert.Contains(VerifyOk, summary, StringComparison.Ordinal);
        Assert.Contains("leaf0.pem: good", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public async Task Sign_RevokedWithKeyCompromise_OpenSslReportsReasonAndTime(string caKey)
    {
        using var pki = OcspTestPki.Create(caKey);
        var request = OcspRequestReader.Read(await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem"));

        await WriteResponseAsync(pki, pki.CaSigner(), request, OcspCertificateStatus.Revoked, X509RevocationReason.KeyCompromise);

        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin req.der -issuer int.pem -CAfile root.pem -resp_text");
        Assert.True(exitCode == 0, output);
        Assert.Contains(VerifyOk, output, StringComparison.Ordinal);
        Assert.Contains("Cert Status: revoked", output, StringComparison.Ordinal);
        Assert.Contains("Revocation Time: " + OpenSslTime(RevokedAt), output, StringComparison.Ordinal);
        Assert.Contains("Revocation Reason: keyCompromise (0x1)", output, StringComparison.Ordinal);

        var summary = await SummaryAsync(pki, "-cert leaf0.pem");
        Assert.Contains("leaf0.pem: revoked", summary, StringComparison.Ordinal);
        Assert.Contains("Reason: keyCompromise", summary, StringComparison.Ordinal);
        Assert.Contains("Revocation Time: " + OpenSslTime(RevokedAt), summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_Unknown_OpenSslReportsUnknown()
    {
        using var pki = OcspTestPki.Create("ec");
        var request = OcspRequestReader.Read(await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf2.pem"));

        await WriteResponseAsync(pki, pki.CaSigner(), request, OcspCertificateStatus.Unknown);

        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin req.der -issuer int.pem -CAfile root.pem -resp_text");
        Assert.True(exitCode == 0, output);
        Assert.Contains(VerifyOk, output, StringComparison.Ordinal);
        Assert.Contains("Cert Status: unknown", output, StringComparison.Ordinal);
        Assert.Contains("leaf2.pem: unknown", await SummaryAsync(pki, "-cert leaf2.pem"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public async Task Sign_DelegatedResponder_OpenSslVerifiesWithCertsField(string caKey)
    {
        using var pki = OcspTestPki.Create(caKey);
        var request = OcspRequestReader.Read(await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem", "-cert", "leaf1.pem"));
        var signer = pki.DelegatedSigner();
        Assert.Equal([pki.Responder], signer.IncludedCertificates);

        await WriteResponseAsync(pki, signer, request, OcspCertificateStatus.Revoked, X509RevocationReason.KeyCompromise);

        // The responder certificate comes from the certs field; int.pem links it to root.pem (RFC 6960 §4.2.2.2).
        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(
            pki, "-respin resp.der -reqin req.der -issuer int.pem -verify_other int.pem -CAfile root.pem -resp_text");
        Assert.True(exitCode == 0, output);
        Assert.Contains(VerifyOk, output, StringComparison.Ordinal);
        Assert.Contains("Subject: CN=Certitude OCSP Test Responder", output, StringComparison.Ordinal);
        Assert.Equal(2, OcspOpenSsl.Values(output, "Revocation Reason: keyCompromise (0x").Count);

        var summary = await SummaryAsync(pki, "-verify_other int.pem -cert leaf0.pem -cert leaf1.pem");
        Assert.Contains("leaf0.pem: revoked", summary, StringComparison.Ordinal);
        Assert.Contains("leaf1.pem: revoked", summary, StringComparison.Ordinal);

        // Trusting the responder certificate directly, as an OCSP client configured with it would (-VAfile).
        var (vaExitCode, vaOutput) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin req.der -VAfile responder.pem");
        Assert.True(vaExitCode == 0, vaOutput);
        Assert.Contains(VerifyOk, vaOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_DelegatedResponderWithoutIntermediate_OpenSslRefusesChain()
    {
        using var pki = OcspTestPki.Create("ec");
        var request = OcspRequestReader.Read(await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem"));

        await WriteResponseAsync(pki, pki.DelegatedSigner(), request, OcspCertificateStatus.Good);

        // A control for the test above: without int.pem nothing links the responder to the trusted root.
        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin req.der -CAfile root.pem");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Response Verify Failure", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_SeveralCertificatesMixedStatuses_OpenSslReportsEach()
    {
        using var pki = OcspTestPki.Create("ec");
        var request = OcspRequestReader.Read(await OcspOpenSsl.RequestAsync(
            pki, "req.der", "-cert", "leaf0.pem", "-cert", "leaf1.pem", "-cert", "leaf2.pem"));
        var now = DateTimeOffset.UtcNow;
        OcspSingleResponse[] responses =
        [
            new(request.Certificates[0], OcspCertificateStatus.Good, null, null, now.AddMinutes(-1), now.AddDays(1)),
            new(request.Certificates[1], OcspCertificateStatus.Revoked, RevokedAt, null, now.AddMinutes(-1), now.AddDays(1)),
            new(request.Certificates[2], OcspCertificateStatus.Unknown, null, null, now.AddMinutes(-1), null),
        ];
        await File.WriteAllBytesAsync(pki.File("resp.der"), pki.CaSigner().Sign(responses, request.Nonce, now), TestContext.Current.CancellationToken);

        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin req.der -issuer int.pem -CAfile root.pem");
        Assert.True(exitCode == 0, output);
        Assert.Contains(VerifyOk, output, StringComparison.Ordinal);

        var summary = await SummaryAsync(pki, "-cert leaf0.pem -cert leaf1.pem -cert leaf2.pem");
        Assert.Contains("leaf0.pem: good", summary, StringComparison.Ordinal);
        Assert.Contains("leaf1.pem: revoked", summary, StringComparison.Ordinal);
        Assert.Contains("leaf2.pem: unknown", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Reason:", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_Sha256CertIdWithoutNonce_OpenSslMatchesCertId()
    {
        using var pki = OcspTestPki.Create("rsa");
        var request = OcspRequestReader.Read(await OcspOpenSsl.RequestAsync(pki, "req.der", "-no_nonce", "-sha256", "-cert", "leaf1.pem"));
        Assert.Null(request.Nonce);

        await WriteResponseAsync(pki, pki.CaSigner(), request, OcspCertificateStatus.Good);

        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin req.der -issuer int.pem -CAfile root.pem -resp_text");
        Assert.True(exitCode == 0, output);
        Assert.Contains(VerifyOk, output, StringComparison.Ordinal);
        Assert.Contains("Hash Algorithm: sha256", output, StringComparison.Ordinal);
        Assert.DoesNotContain("OCSP Nonce", output, StringComparison.Ordinal);
        Assert.Contains("leaf1.pem: good", await SummaryAsync(pki, "-sha256 -cert leaf1.pem"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serial")]
    [InlineData("signature")]
    public async Task Sign_TamperedResponse_OpenSslFailsVerification(string where)
    {
        using var pki = OcspTestPki.Create("ec");
        var request = OcspRequestReader.Read(await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem"));
        var response = await WriteResponseAsync(pki, pki.CaSigner(), request, OcspCertificateStatus.Good);
        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin req.der -issuer int.pem -CAfile root.pem");
        Assert.True(exitCode == 0, output);

        // The serial's last octet lies in the signed data; the response's last octet is the signature's (no certs field).
        var index = where == "serial"
            ? response.AsSpan().IndexOf(pki.Leaves[0].SerialNumberBytes.Span) + pki.Leaves[0].SerialNumberBytes.Length - 1
            : response.Length - 1;
        response[index] ^= 0x01;
        await File.WriteAllBytesAsync(pki.File("resp.der"), response, TestContext.Current.CancellationToken);

        (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin req.der -issuer int.pem -CAfile root.pem");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Response Verify Failure", output, StringComparison.Ordinal);
        Assert.DoesNotContain(VerifyOk, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_NonceFromOtherRequest_OpenSslReportsNonceError()
    {
        using var pki = OcspTestPki.Create("ec");
        var request = OcspRequestReader.Read(await OcspOpenSsl.RequestAsync(pki, "req.der", "-cert", "leaf0.pem"));
        await OcspOpenSsl.RequestAsync(pki, "other.der", "-cert", "leaf0.pem");

        await WriteResponseAsync(pki, pki.CaSigner(), request, OcspCertificateStatus.Good);

        // A control for the nonce checks above: openssl does compare the echoed nonce with its request's.
        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, "-respin resp.der -reqin other.der -issuer int.pem -CAfile root.pem");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Nonce Verify error", output, StringComparison.Ordinal);
    }

    private static async Task<byte[]> WriteResponseAsync(
        OcspTestPki pki,
        OcspResponseSigner signer,
        OcspRequestInfo request,
        OcspCertificateStatus status,
        X509RevocationReason? reason = null)
    {
        var now = DateTimeOffset.UtcNow;
        var responses = request.Certificates
            .Select(id => new OcspSingleResponse(
                id,
                status,
                status == OcspCertificateStatus.Revoked ? RevokedAt : null,
                reason,
                now.AddMinutes(-1),
                now.AddDays(1)))
            .ToList();
        var response = signer.Sign(responses, request.Nonce, now);
        await File.WriteAllBytesAsync(pki.File("resp.der"), response, TestContext.Current.CancellationToken);
        return response;
    }

    /// <summary>openssl's per-certificate summary of resp.der for the -cert files in <paramref name="certificates"/>.</summary>
    private static async Task<string> SummaryAsync(OcspTestPki pki, string certificates)
    {
        var (exitCode, output) = await OcspOpenSsl.JudgeAsync(pki, $"-respin resp.der -issuer int.pem -CAfile root.pem -no_nonce {certificates}");
        Assert.True(exitCode == 0, output);
        Assert.Contains(VerifyOk, output, StringComparison.Ordinal);
        return output;
    }

    /// <summary>A time as openssl prints a GeneralizedTime: "Mar  4 05:06:07 2026 GMT".</summary>
    private static string OpenSslTime(DateTimeOffset time)
    {
        return string.Create(CultureInfo.InvariantCulture, $"{time:MMM} {time.Day,2} {time:HH:mm:ss yyyy} GMT");
    }
}
