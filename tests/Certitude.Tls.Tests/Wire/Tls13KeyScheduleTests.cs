using System.Security.Cryptography;
using Certitude.Tls.Tests.Support;
using Certitude.Tls.Wire;

namespace Certitude.Tls.Tests.Wire;

/// <summary>The key schedule against RFC 8448 §3 ("Simple 1-RTT Handshake"), the published TLS 1.3 trace.</summary>
public sealed class Tls13KeyScheduleTests
{
    /// <summary>RFC 8448 §3, {client} create an ephemeral x25519 key pair: private key.</summary>
    private static readonly byte[] ClientPrivateKey = TlsBytes.Hex("49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005");

    /// <summary>RFC 8448 §3, {server} create an ephemeral x25519 key pair: public key.</summary>
    private static readonly byte[] ServerPublicKey = TlsBytes.Hex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f");

    /// <summary>RFC 8448 §3, {server} derive secret for handshake "tls13 derived": IKM, the (EC)DHE shared secret.</summary>
    private static readonly byte[] SharedSecret = TlsBytes.Hex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");

    /// <summary>RFC 8448 §3, {server} derive secret "tls13 s hs traffic": hash of ClientHello..ServerHello.</summary>
    private static readonly byte[] TranscriptHash = TlsBytes.Hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");

    [Fact]
    public void EarlySecret_NoPsk_MatchesRfc8448()
    {
        Assert.Equal(
            TlsBytes.Hex("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"),
            Tls13KeySchedule.EarlySecret(HashAlgorithmName.SHA256));
    }

    [Fact]
    public void HandshakeSecret_Rfc8448SharedSecret_MatchesRfc8448()
    {
        Assert.Equal(
            TlsBytes.Hex("1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac"),
            Tls13KeySchedule.HandshakeSecret(HashAlgorithmName.SHA256, SharedSecret));
    }

    [Fact]
    public void ServerHandshakeKeys_Rfc8448Transcript_MatchRfc8448()
    {
        var handshakeSecret = Tls13KeySchedule.HandshakeSecret(HashAlgorithmName.SHA256, SharedSecret);

        var trafficSecret = Tls13KeySchedule.ServerHandshakeTrafficSecret(HashAlgorithmName.SHA256, handshakeSecret, TranscriptHash);

        Assert.Equal(TlsBytes.Hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"), trafficSecret);
        Assert.Equal(TlsBytes.Hex("3fce516009c21727d0f2e4e86ee403bc"), Tls13KeySchedule.TrafficKey(HashAlgorithmName.SHA256, trafficSecret, 16));
        Assert.Equal(TlsBytes.Hex("5d313eb2671276ee13000b30"), Tls13KeySchedule.TrafficIv(HashAlgorithmName.SHA256, trafficSecret));
    }

    [Fact]
    public void DeriveSharedSecret_Rfc8448X25519Keys_MatchesRfc8448()
    {
        using var share = Tls13KeyShare.FromX25519PrivateKey(ClientPrivateKey);

        Assert.Equal(TlsBytes.Hex("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c"), share.PublicKey);
        Assert.Equal(SharedSecret, share.DeriveSharedSecret(ServerPublicKey));
    }

    [Fact]
    public void DeriveSharedSecret_AllZeroX25519Key_ThrowsMalformed()
    {
        // RFC 8446 §7.4.2: the all-zero result of a low-order point must be rejected.
        using var share = Tls13KeyShare.Generate(TlsNamedGroup.X25519);

        var failure = Assert.Throws<Certitude.Tls.Probing.TlsProbeException>(() => share.DeriveSharedSecret(new byte[32]));

        Assert.Equal(Certitude.Tls.Probing.TlsProbeFailure.Malformed, failure.Failure);
    }

    [Theory]
    [InlineData(TlsNamedGroup.Secp256r1)]
    [InlineData(TlsNamedGroup.Secp384r1)]
    [InlineData(TlsNamedGroup.Secp521r1)]
    public void DeriveSharedSecret_NistCurveShares_AgreeBothWays(ushort group)
    {
        using var client = Tls13KeyShare.Generate(group);
        using var server = Tls13KeyShare.Generate(group);

        Assert.Equal(client.DeriveSharedSecret(server.PublicKey), server.DeriveSharedSecret(client.PublicKey));
    }

    [Fact]
    public void DeriveSharedSecret_PointNotOnCurve_ThrowsMalformed()
    {
        using var share = Tls13KeyShare.Generate(TlsNamedGroup.Secp256r1);
        var notOnCurve = new byte[65];
        notOnCurve[0] = 4;
        notOnCurve[64] = 1;

        var failure = Assert.Throws<Certitude.Tls.Probing.TlsProbeException>(() => share.DeriveSharedSecret(notOnCurve));

        Assert.Equal(Certitude.Tls.Probing.TlsProbeFailure.Malformed, failure.Failure);
    }
}
