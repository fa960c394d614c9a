using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Certitude.Pki.Issuance;
using Certitude.Pki.Signing;
using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests.Issuance;

/// <summary><see cref="RevocationListBuilder"/> against <c>openssl crl</c>, <c>openssl verify -crl_check</c> and
/// <c>certtool --verify-crl</c>: CRLs from the intermediate of each key type's <see cref="TestChain"/>.</summary>
public sealed class RevocationListBuilderTests(IssuedChains chains)
{
    public static TheoryData<SigningKeyType> KeyTypes => new(Enum.GetValues<SigningKeyType>());

    [Fact]
    public async Task Build_RevokedEntries_OpenSslListsSerialsReasonsAndNumber()
    {
        var chain = chains.Get(SigningKeyType.EcP384);
        var revokedAt = new DateTimeOffset(2026, 3, 1, 12, 30, 15, TimeSpan.Zero);
        RevokedEntry[] revoked =
        [
            new(Convert.FromHexString("0A1B2C3D"), revokedAt, X509RevocationReason.KeyCompromise),
            new(Convert.FromHexString("00FF"), revokedAt, X509RevocationReason.Superseded),
            new(Convert.FromHexString("7E"), revokedAt, X509RevocationReason.Unspecified),
            new(Convert.FromHexString("01020304050607080910"), revokedAt, null),
            new(Convert.FromHexString("42"), revokedAt, X509RevocationReason.CessationOfOperation),
        ];
        var now = DateTimeOffset.UtcNow;

        var text = await CrlTextAsync(Build(chain, revoked, 42, now));

        var sections = text.Split("Serial Number: ", StringSplitOptions.None).Select(s => s.Split('\n', StringSplitOptions.TrimEntries)).ToList();
        var header = sections[0];
        Assert.Contains("Version 2 (0x1)", header);
        Assert.Contains("Signature Algorithm: ecdsa-with-SHA384", header);
        Assert.Equal("42", header[Array.IndexOf(header, "X509v3 CRL Number:") + 1]);
        Assert.Equal(
            (await OpenSslViews.OfAsync(chain.Intermediate)).Lines("X509v3 Subject Key Identifier").Single(),
            header[Array.IndexOf(header, "X509v3 Authority Key Identifier:") + 1]);
        var entries = sections.Skip(1).ToList();
        Assert.Equal(["0A1B2C3D", "FF", "7E", "01020304050607080910", "42"], entries.Select(e => e[0]));
        Assert.All(entries, e => Assert.Equal("Revocation Date: Mar  1 12:30:15 2026 GMT", e[1]));
        // RFC 5280 §5.3.1: no reasonCode extension for unspecified, given or not.
        Assert.Equal(["Key Compromise", "Superseded", null, null, "Cessation Of Operation"], entries.Select(ReasonOf));
    }

    [Fact]
    public async Task Build_EveryReason_OpenSslNamesIt()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        X509RevocationReason[] reasons =
        [
            X509RevocationReason.KeyCompromise, X509RevocationReason.CACompromise, X509RevocationReason.AffiliationChanged,
            X509RevocationReason.Superseded, X509RevocationReason.CessationOfOperation, X509RevocationReason.CertificateHold,
            X509RevocationReason.PrivilegeWithdrawn,
        ];
        var revoked = reasons.Select((r, i) => new RevokedEntry([(byte)(i + 1)], DateTimeOffset.UtcNow, r));

        var text = await CrlTextAsync(Build(chain, revoked, 1, DateTimeOffset.UtcNow));

        var entries = text.Split("Serial Number: ", StringSplitOptions.None).Skip(1).Select(s => s.Split('\n', StringSplitOptions.TrimEntries));
        Assert.Equal(
            [
                "Key Compromise", "CA Compromise", "Affiliation Changed", "Superseded", "Cessation Of Operation", "Certificate Hold",
                "Privilege Withdrawn",
            ],
            entries.Select(ReasonOf));
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public async Task Build_EachKeyType_OpenSslRejectsTheRevokedLeafOnly(SigningKeyType type)
    {
        var chain = chains.Get(type);
        using var directory = new TempDirectory();
        chain.WriteTo(directory);
        var now = DateTimeOffset.UtcNow;
        WriteCrl(directory, "revoked.crl", Build(chain, [new(chain.Leaf.SerialNumberBytes.ToArray(), now.AddMinutes(-1), X509RevocationReason.KeyCompromise)], 7, now));
        WriteCrl(directory, "other.crl", Build(chain, [new(CertificateBuilder.NewSerialNumber(), now.AddMinutes(-1), X509RevocationReason.KeyCompromise)], 8, now));

        var revoked = await VerifyAsync(directory, "revoked.crl");
        var other = await VerifyAsync(directory, "other.crl");

        Assert.Contains("certificate revoked", revoked, StringComparison.Ordinal);
        Assert.EndsWith("exit=2", revoked, StringComparison.Ordinal);
        Assert.Equal("leaf.pem: OK\nexit=0", other);
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public async Task Build_EachKeyType_GnuTlsVerifiesTheSignature(SigningKeyType type)
    {
        var chain = chains.Get(type);
        using var directory = new TempDirectory();
        chain.WriteTo(directory);
        WriteCrl(directory, "int.crl", Build(chain, [new(chain.Leaf.SerialNumberBytes.ToArray(), DateTimeOffset.UtcNow, null)], 1, DateTimeOffset.UtcNow));

        var result = await CertTool.RunAsync(directory.Path, "--verify-crl", "--load-ca-certificate", "int.pem", "--infile", "int.crl");

        Assert.Contains("Verification output: Verified", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NextUpdateNotAfterThisUpdate_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var now = DateTimeOffset.UtcNow;

        var error = Assert.Throws<ArgumentException>(
            () => RevocationListBuilder.Build(chain.Intermediate, chain.IntermediateKey, [], BigInteger.One, now, now));

        Assert.Equal("nextUpdate", error.ParamName);
    }

    [Fact]
    public void Build_KeyOfAnotherCertificate_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var now = DateTimeOffset.UtcNow;

        var error = Assert.Throws<ArgumentException>(
            () => RevocationListBuilder.Build(chain.Intermediate, chain.RootKey, [], BigInteger.One, now, now.AddDays(1)));

        Assert.Equal("issuerKey", error.ParamName);
    }

    [Theory]
    [InlineData(X509RevocationReason.RemoveFromCrl, "delta CRLs")]
    [InlineData(X509RevocationReason.AACompromise, "attribute certificates")]
    [InlineData((X509RevocationReason)11, "not a reason code of RFC 5280")]
    [InlineData((X509RevocationReason)7, "not a reason code of RFC 5280")]
    public void Build_ReasonForOtherKindsOfCrl_Throws(X509RevocationReason reason, string expected)
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        RevokedEntry[] revoked = [new([1], DateTimeOffset.UtcNow, reason)];

        var error = Assert.Throws<ArgumentException>(() => Build(chain, revoked, 1, DateTimeOffset.UtcNow));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NegativeCrlNumber_Throws()
    {
        var chain = chains.Get(SigningKeyType.EcP256);
        var now = DateTimeOffset.UtcNow;

        Assert.Throws<ArgumentOutOfRangeException>(
            () => RevocationListBuilder.Build(chain.Intermediate, chain.IntermediateKey, [], BigInteger.MinusOne, now, now.AddDays(1)));
    }

    private static byte[] Build(TestChain chain, IEnumerable<RevokedEntry> revoked, int crlNumber, DateTimeOffset now)
    {
        return RevocationListBuilder.Build(chain.Intermediate, chain.IntermediateKey, revoked, crlNumber, now.AddMinutes(-1), now.AddDays(7));
    }

    private static void WriteCrl(TempDirectory directory, string name, byte[] der)
    {
        File.WriteAllText(directory.File(name), PemEncoding.WriteString("X509 CRL", der) + "\n");
    }

    private static async Task<string> VerifyAsync(TempDirectory directory, string crl)
    {
        // openssl verify exits with 2 on a failed check; the script reports the code instead of failing on it.
        var result = await OpenSsl.ScriptAsync(directory.Path, $"""
            openssl verify -crl_check -CRLfile {crl} -CAfile root.pem -untrusted int.pem leaf.pem > out.txt 2>&1 && code=0 || code=$?
            cat out.txt; echo "exit=$code"
            """);
        return result.Text.Trim();
    }

    private static async Task<string> CrlTextAsync(byte[] der)
    {
        using var directory = new TempDirectory();
        File.WriteAllBytes(directory.File("crl.der"), der);
        return (await OpenSsl.RunAsync(directory.Path, "crl", "-inform", "DER", "-in", "crl.der", "-text", "-noout")).Text;
    }

    private static string? ReasonOf(string[] entry)
    {
        var index = Array.IndexOf(entry, "X509v3 CRL Reason Code:");
        return index < 0 ? null : entry[index + 1];
    }
}
