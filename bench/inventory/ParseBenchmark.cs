using System.Collections.Concurrent;
using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Certitude.Pki;

namespace Certitude.Bench.Inventory;

/// <summary>
/// The ceiling the importer is compared with: <see cref="CertificateContainerDecoder.Decode"/> (which reads every
/// certificate's facts, as the importer uses them) over the same files, in process, on every core (the importer decodes in
/// parallel too). The files are read into memory first, so the timing holds parsing only. A second figure times the
/// ECDSA signature checks that linking each leaf to its issuing CA needs, on a sample, with the issuer's key loaded
/// once: the part of an import's work that parsing alone does not show.
/// </summary>
internal static class ParseBenchmark
{
    private const int VerifySample = 50_000;

    public static ParseResult Run(Corpus corpus)
    {
        var files = corpus.AllFiles().Select(File.ReadAllBytes).ToArray();
        var bytes = files.Sum(f => (long)f.Length);

        // Warm-up: JIT tiers and the crypto library's first calls are not part of the rate.
        foreach (var file in files.Take(Math.Min(files.Length, 5)))
        {
            ParseFile(file);
        }

        var stopwatch = Stopwatch.StartNew();
        var certificates = 0L;
        Parallel.ForEach(Partitioner.Create(0, files.Length, 1), range =>
        {
            var local = 0;
            for (var i = range.Item1; i < range.Item2; i++)
            {
                local += ParseFile(files[i]);
            }

            Interlocked.Add(ref certificates, local);
        });
        var parseSeconds = stopwatch.Elapsed.TotalSeconds;

        var (verified, verifySeconds) = VerifyLeaves(files);
        return new ParseResult(files.Length, bytes, certificates, parseSeconds, verified, verifySeconds);
    }

    private static int ParseFile(byte[] content)
    {
        return CertificateContainerDecoder.Decode(content).Facts.Count;
    }

    private static (int Count, double Seconds) VerifyLeaves(byte[][] files)
    {
        var authorities = CertificateContainerDecoder.Decode(files[0]).Certificates
            .Select(der => X509CertificateLoader.LoadCertificate(der))
            .Where(c => !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))
            .ToDictionary(c => c.SubjectName.Name, c => c.PublicKey.ExportSubjectPublicKeyInfo());
        var sample = files.Skip(1).SelectMany(f => CertificateContainerDecoder.Decode(f).Certificates).Take(VerifySample)
            .Select(der => (Der: der, Issuer: X509CertificateLoader.LoadCertificate(der).IssuerName.Name)).ToArray();

        var failures = 0;
        var stopwatch = Stopwatch.StartNew();
        Parallel.ForEach(Partitioner.Create(0, sample.Length, 1000), () => new Dictionary<string, ECDsa>(), (range, state, keys) =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var (der, issuer) = sample[i];
                if (!keys.TryGetValue(issuer, out var key))
                {
                    key = ECDsa.Create();
                    key.ImportSubjectPublicKeyInfo(authorities[issuer], out _);
                    keys[issuer] = key;
                }

                var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
                var tbs = certificate.ReadEncodedValue();
                certificate.ReadSequence();
                var signature = certificate.ReadBitString(out _);
                if (!key.VerifyData(tbs.Span, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
                {
                    Interlocked.Increment(ref failures);
                }
            }

            return keys;
        }, keys =>
        {
            foreach (var key in keys.Values)
            {
                key.Dispose();
            }
        });
        var seconds = stopwatch.Elapsed.TotalSeconds;
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} generated leaves do not verify under their issuing CA.");
        }

        return (sample.Length, seconds);
    }
}
