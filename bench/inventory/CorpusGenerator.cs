using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Certitude.Bench.Inventory;

/// <summary>
/// Writes the benchmark's certificates: two roots and four issuing CAs in <c>ca.pem</c>, then the leaves as PEM
/// bundles of <see cref="Corpus.CertificatesPerFile"/>. Leaves are built directly as DER (TBSCertificate written
/// with <see cref="AsnWriter"/>, signed by the issuing CA's key) because <see cref="CertificateRequest"/> manages
/// about 1,500 certificates a second here, ten minutes for a million; the hand-built path signs about 25,000.
/// Leaf key pairs come from a small pool (key generation would dominate); every certificate stays distinct by its
/// serial number. The layout (names, validity, issuers) is seeded per file, so it is the same on every machine.
/// </summary>
internal static class CorpusGenerator
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
    private const int LeafEcKeys = 12;
    private const int LeafRsaKeys = 4;

    private static readonly string[] Services =
        ["www", "api", "mail", "vpn", "portal", "auth", "cdn", "git", "shop", "intranet", "sso", "files", "grafana", "jenkins", "db", "ldap", "mq", "status", "docs", "m"];

    private static readonly string[] Words =
        ["contoso", "fabrikam", "northwind", "adventure", "tailspin", "wingtip", "litware", "proseware", "woodgrove", "lucerne",
         "humongous", "coho", "alpine", "fourthcoffee", "margie", "treyresearch", "wideworld", "blueyonder", "graphicdesign", "southridge"];

    private static readonly string[] Tlds = ["com", "net", "org", "io", "example"];

    private static readonly string[] Organizations = [.. Words.Select(w => char.ToUpperInvariant(w[0]) + w[1..] + " Ltd")];

    /// <summary>Issuing CA shares of the leaves: a big, a medium, a small and a tiny issuer, as inventories have.</summary>
    private static readonly double[] IssuerShares = [0.4, 0.3, 0.2, 0.1];

    public static void Generate(Corpus corpus)
    {
        var stopwatch = Stopwatch.StartNew();
        if (Directory.Exists(corpus.Directory))
        {
            Directory.Delete(corpus.Directory, recursive: true);
        }

        Directory.CreateDirectory(corpus.FilesDirectory);
        var now = DateTimeOffset.UtcNow;
        var authorities = CreateAuthorities(now);
        File.WriteAllText(Path.Combine(corpus.FilesDirectory, Corpus.AuthorityFileName),
            string.Concat(authorities.All.Select(c => c.ExportCertificatePem() + "\n")));

        var leafKeys = CreateLeafKeys();
        var fileCount = corpus.LeafFileCount;
        var written = 0;
        Parallel.For(0, fileCount, () => authorities.Issuing.Select(i => i.CopySigner()).ToArray(), (file, _, signers) =>
        {
            var first = (long)file * Corpus.CertificatesPerFile;
            var count = (int)Math.Min(Corpus.CertificatesPerFile, corpus.Count - first);
            var builder = new LeafBuilder(new Random((file * 7919) + 17), now, authorities.Issuing, signers, leafKeys);
            var pem = new StringBuilder(count * 1400);
            for (var i = 0; i < count; i++)
            {
                pem.Append(PemEncoding.Write("CERTIFICATE", builder.Build(first + i))).Append('\n');
            }

            File.WriteAllText(corpus.LeafFilePath(file), pem.ToString(), Encoding.ASCII);
            if (Interlocked.Increment(ref written) % 100 == 0)
            {
                Console.Error.WriteLine($"  generated {written}/{fileCount} files");
            }

            return signers;
        }, signers =>
        {
            foreach (var signer in signers)
            {
                signer.Dispose();
            }
        });

        corpus.WriteManifest(now);
        Console.Error.WriteLine($"  generated {corpus.Count:N0} leaves + {authorities.All.Count} CAs in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    private static Authorities CreateAuthorities(DateTimeOffset now)
    {
        var roots = new List<X509Certificate2>();
        var issuing = new List<IssuingAuthority>();
        for (var r = 1; r <= 2; r++)
        {
            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN=Certitude Bench Root R{r}, O=Certitude Bench, C=US", rootKey, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            var root = request.CreateSelfSigned(now.AddYears(-10), now.AddYears(15));
            roots.Add(root);
            for (var i = 1; i <= 2; i++)
            {
                var number = ((r - 1) * 2) + i;
                var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var caRequest = new CertificateRequest($"CN=Bench Issuing CA {number}, O=Certitude Bench, C=US", key, HashAlgorithmName.SHA256);
                caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
                caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
                caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
                caRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
                var serial = RandomNumberGenerator.GetBytes(16);
                serial[0] &= 0x7f;
                var certificate = caRequest.Create(root, now.AddYears(-5), now.AddYears(10), serial);
                issuing.Add(new IssuingAuthority(number, certificate, key));
            }
        }

        return new Authorities(roots, issuing);
    }

    private static LeafKey[] CreateLeafKeys()
    {
        var keys = new List<LeafKey>();
        for (var i = 0; i < LeafEcKeys; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            keys.Add(LeafKey.From(key.ExportSubjectPublicKeyInfo()));
        }

        for (var i = 0; i < LeafRsaKeys; i++)
        {
            using var key = RSA.Create(2048);
            keys.Add(LeafKey.From(key.ExportSubjectPublicKeyInfo()));
        }

        return [.. keys];
    }

    private sealed record Authorities(IReadOnlyList<X509Certificate2> Roots, IReadOnlyList<IssuingAuthority> Issuing)
    {
        public IReadOnlyList<X509Certificate2> All => [.. Roots, .. Issuing.Select(i => i.Certificate)];
    }

    private sealed class IssuingAuthority(int number, X509Certificate2 certificate, ECDsa key)
    {
        private readonly byte[] _pkcs8 = key.ExportPkcs8PrivateKey();

        public int Number { get; } = number;
        public X509Certificate2 Certificate { get; } = certificate;
        public byte[] SubjectName { get; } = certificate.SubjectName.RawData;
        public byte[] KeyIdentifier { get; } = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray();

        /// <summary>A private copy of the key for one generating thread (key objects are not shared across threads).</summary>
        public ECDsa CopySigner()
        {
            var copy = ECDsa.Create();
            copy.ImportPkcs8PrivateKey(_pkcs8, out _);
            return copy;
        }
    }

    private sealed record LeafKey(byte[] SubjectPublicKeyInfo, byte[] KeyIdentifier)
    {
        public static LeafKey From(byte[] spki)
        {
            // RFC 7093 §2 method 1: the leftmost 160 bits of the SHA-256 of the subjectPublicKey BIT STRING's value.
            var reader = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence();
            reader.ReadSequence();
            var publicKey = reader.ReadBitString(out _);
            return new LeafKey(spki, SHA256.HashData(publicKey)[..20]);
        }
    }

    /// <summary>Builds leaves for one file; one instance per thread.</summary>
    private sealed class LeafBuilder(Random random, DateTimeOffset now, IReadOnlyList<IssuingAuthority> issuers, ECDsa[] signers, LeafKey[] keys)
    {
        private readonly AsnWriter _tbs = new(AsnEncodingRules.DER);
        private readonly AsnWriter _value = new(AsnEncodingRules.DER);
        private readonly AsnWriter _certificate = new(AsnEncodingRules.DER);

        public byte[] Build(long index)
        {
            var issuerIndex = PickIssuer();
            var issuer = issuers[issuerIndex];
            var key = keys[random.Next(keys.Length)];
            var domain = $"{Words[random.Next(Words.Length)]}{random.Next(1, 11)}.{Tlds[random.Next(Tlds.Length)]}";
            var host = $"{Services[random.Next(Services.Length)]}{random.Next(1, 51)}.{domain}";
            var (notBefore, notAfter) = PickValidity();

            _tbs.Reset();
            using (_tbs.PushSequence())
            {
                using (_tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    _tbs.WriteInteger(2);
                }

                _tbs.WriteIntegerUnsigned(Serial(index));
                WriteAlgorithm(_tbs);
                _tbs.WriteEncodedValue(issuer.SubjectName);
                using (_tbs.PushSequence())
                {
                    _tbs.WriteUtcTime(notBefore);
                    _tbs.WriteUtcTime(notAfter);
                }

                WriteSubject(host, random.Next(Organizations.Length), random.Next(4) == 0 ? "Operations" : null);
                _tbs.WriteEncodedValue(key.SubjectPublicKeyInfo);
                using (_tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3)))
                using (_tbs.PushSequence())
                {
                    WriteExtensions(host, domain, issuer, key);
                }
            }

            var tbs = _tbs.Encode();
            var signature = signers[issuerIndex].SignData(tbs, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            _certificate.Reset();
            using (_certificate.PushSequence())
            {
                _certificate.WriteEncodedValue(tbs);
                WriteAlgorithm(_certificate);
                _certificate.WriteBitString(signature);
            }

            return _certificate.Encode();
        }

        private int PickIssuer()
        {
            var roll = random.NextDouble();
            for (var i = 0; i < IssuerShares.Length - 1; i++)
            {
                if (roll < IssuerShares[i])
                {
                    return i;
                }

                roll -= IssuerShares[i];
            }

            return IssuerShares.Length - 1;
        }

        /// <summary>Lifetimes as issued today (90 days, a year, 397 days, two years), ending anywhere from two
        /// years ago to two years ahead; about one in a hundred not valid yet.</summary>
        private (DateTimeOffset NotBefore, DateTimeOffset NotAfter) PickValidity()
        {
            var roll = random.Next(100);
            var lifetime = TimeSpan.FromDays(roll < 50 ? 90 : roll < 70 ? 365 : roll < 95 ? 397 : 730);
            var seconds = random.Next(0, 86400);
            if (random.Next(100) == 0)
            {
                var start = now.AddDays(random.Next(1, 60)).AddSeconds(seconds);
                return (Truncate(start), Truncate(start + lifetime));
            }

            var end = now.AddDays(random.Next(-730, 731)).AddSeconds(seconds);
            return (Truncate(end - lifetime), Truncate(end));
        }

        private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        /// <summary>16 bytes: the leaf's index makes it unique, random bytes make it look like a CA's serial.</summary>
        private byte[] Serial(long index)
        {
            var serial = new byte[16];
            random.NextBytes(serial);
            serial[0] = (byte)(0x40 | (serial[0] & 0x3f));
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(serial.AsSpan(8), index);
            return serial;
        }

        private static void WriteAlgorithm(AsnWriter writer)
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(EcdsaWithSha256);
            }
        }

        private void WriteSubject(string commonName, int organization, string? unit)
        {
            using (_tbs.PushSequence())
            {
                WriteAttribute("2.5.4.6", "US", UniversalTagNumber.PrintableString);
                WriteAttribute("2.5.4.10", Organizations[organization], UniversalTagNumber.UTF8String);
                if (unit is not null)
                {
                    WriteAttribute("2.5.4.11", unit, UniversalTagNumber.UTF8String);
                }

                WriteAttribute("2.5.4.3", commonName, UniversalTagNumber.UTF8String);
            }
        }

        private void WriteAttribute(string oid, string value, UniversalTagNumber type)
        {
            using (_tbs.PushSetOf())
            using (_tbs.PushSequence())
            {
                _tbs.WriteObjectIdentifier(oid);
                _tbs.WriteCharacterString(type, value);
            }
        }

        private void WriteExtensions(string host, string domain, IssuingAuthority issuer, LeafKey key)
        {
            _value.Reset();
            using (_value.PushSequence())
            {
            }

            WriteExtension("2.5.29.19", critical: true);

            _value.Reset();
            _value.WriteNamedBitList(X509KeyUsageFlagsAsn.DigitalSignature);
            WriteExtension("2.5.29.15", critical: true);

            _value.Reset();
            using (_value.PushSequence())
            {
                _value.WriteObjectIdentifier("1.3.6.1.5.5.7.3.1");
                if (random.Next(10) < 3)
                {
                    _value.WriteObjectIdentifier("1.3.6.1.5.5.7.3.2");
                }
            }

            WriteExtension("2.5.29.37", critical: false);

            _value.Reset();
            using (_value.PushSequence())
            {
                var dns = new Asn1Tag(TagClass.ContextSpecific, 2);
                _value.WriteCharacterString(UniversalTagNumber.IA5String, host, dns);
                var roll = random.Next(20);
                if (roll < 10)
                {
                    _value.WriteCharacterString(UniversalTagNumber.IA5String, "www." + host, dns);
                }
                else if (roll < 12)
                {
                    _value.WriteCharacterString(UniversalTagNumber.IA5String, "*." + domain, dns);
                }
                else if (roll == 12)
                {
                    _value.WriteOctetString([10, (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(1, 255)], new Asn1Tag(TagClass.ContextSpecific, 7));
                }
            }

            WriteExtension("2.5.29.17", critical: false);

            _value.Reset();
            _value.WriteOctetString(key.KeyIdentifier);
            WriteExtension("2.5.29.14", critical: false);

            _value.Reset();
            using (_value.PushSequence())
            {
                _value.WriteOctetString(issuer.KeyIdentifier, new Asn1Tag(TagClass.ContextSpecific, 0));
            }

            WriteExtension("2.5.29.35", critical: false);

            _value.Reset();
            using (_value.PushSequence())
            using (_value.PushSequence())
            using (_value.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (_value.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                _value.WriteCharacterString(UniversalTagNumber.IA5String, $"http://crl.bench.example/ca{issuer.Number}.crl", new Asn1Tag(TagClass.ContextSpecific, 6));
            }

            WriteExtension("2.5.29.31", critical: false);

            _value.Reset();
            using (_value.PushSequence())
            {
                using (_value.PushSequence())
                {
                    _value.WriteObjectIdentifier("1.3.6.1.5.5.7.48.1");
                    _value.WriteCharacterString(UniversalTagNumber.IA5String, "http://ocsp.bench.example", new Asn1Tag(TagClass.ContextSpecific, 6));
                }

                using (_value.PushSequence())
                {
                    _value.WriteObjectIdentifier("1.3.6.1.5.5.7.48.2");
                    _value.WriteCharacterString(UniversalTagNumber.IA5String, $"http://ca.bench.example/ca{issuer.Number}.crt", new Asn1Tag(TagClass.ContextSpecific, 6));
                }
            }

            WriteExtension("1.3.6.1.5.5.7.1.1", critical: false);

            _value.Reset();
            using (_value.PushSequence())
            using (_value.PushSequence())
            {
                _value.WriteObjectIdentifier(random.Next(10) < 7 ? "2.23.140.1.2.1" : "2.23.140.1.2.2");
            }

            WriteExtension("2.5.29.32", critical: false);
        }

        private void WriteExtension(string oid, bool critical)
        {
            using (_tbs.PushSequence())
            {
                _tbs.WriteObjectIdentifier(oid);
                if (critical)
                {
                    _tbs.WriteBoolean(true);
                }

                _tbs.WriteOctetString(_value.Encode());
            }
        }
    }

    /// <summary>The KeyUsage bits as RFC 5280 §4.2.1.3 numbers them, for <see cref="AsnWriter.WriteNamedBitList(Enum, Asn1Tag?)"/>.</summary>
    [Flags]
    private enum X509KeyUsageFlagsAsn
    {
        DigitalSignature = 1 << 0,
    }
}
