using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Certitude.Pki.Signing;

namespace Certitude.Pki.Tests;

/// <summary><see cref="PublicKeyDescription.Describe(byte[])"/> against <see cref="PublicKeyDescription.Describe(PublicKey)"/>,
/// which encodes the key again before reading it: the stored bytes describe the key the same way.</summary>
public sealed class PublicKeyDescriptionTests
{
    public static TheoryData<SigningKeyType> KeyTypes => new(Enum.GetValues<SigningKeyType>());

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void Describe_SubjectPublicKeyInfoBytes_SameAsPublicKey(SigningKeyType type)
    {
        using var key = SigningKey.Generate(type);
        var spki = key.ExportSubjectPublicKeyInfo();

        Assert.Equal(PublicKeyDescription.Describe(PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _)), PublicKeyDescription.Describe(spki));
    }

    [Fact]
    public void Describe_P521AndBrainpoolBytes_SameAsPublicKey()
    {
        // Curves no SigningKeyType generates: P-521 (RFC 5480 §2.1.1.1) and brainpoolP256r1 (RFC 5639 §4.1).
        foreach (var curve in new[] { ECCurve.NamedCurves.nistP521, ECCurve.NamedCurves.brainpoolP256r1 })
        {
            using var key = ECDsa.Create(curve);
            var spki = key.ExportSubjectPublicKeyInfo();

            Assert.Equal(PublicKeyDescription.Describe(PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _)), PublicKeyDescription.Describe(spki));
        }
    }
}
