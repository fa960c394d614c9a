using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Certitude.Pki.Issuance;
using Certitude.Pki.Signing;

namespace Certitude.Bench.PkiMicro;

/// <summary>
/// Times each step of <see cref="IssuancePath"/> over a batch of distinct EC P-256 CSRs (one key per CSR, made with
/// .NET's CertificateRequest as clients make them) after a warm-up long enough for tiered JIT to settle, and prints
/// the median over rounds of thread CPU µs per CSR and bytes allocated per CSR. Each step runs over the whole batch
/// before the next (so the clock is read twice per batch, not per call); a last line times the steps interleaved,
/// one request after another, as the server runs them.
/// </summary>
internal static class IssuanceMicroBenchmark
{
    public static int Run(MicroSettings settings)
    {
        Console.Error.WriteLine($"Making a P-256 CA and {settings.Csrs} CSRs (one P-256 key each)");
        using var caKey = SigningKey.Generate(SigningKeyType.EcP256);
        using var ca = CertificateBuilder.CreateSelfSigned(new CertificateTemplate
        {
            Subject = new X500DistinguishedName("CN=Bench Issuing CA, O=Certitude Bench"),
            NotBefore = DateTimeOffset.UtcNow.AddDays(-1),
            NotAfter = DateTimeOffset.UtcNow.AddYears(5),
            SerialNumber = CertificateBuilder.NewSerialNumber(),
            IsCertificateAuthority = true,
            KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature,
        }, caKey);
        var path = new IssuancePath(ca, caKey);
        var pems = new string[settings.Csrs];
        var data = "reference data signed by each key"u8.ToArray();
        var referenceSignatures = new byte[settings.Csrs][];
        for (var i = 0; i < pems.Length; i++)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var name = $"host{i}.bench.example";
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            pems[i] = request.CreateSigningRequestPem();
            referenceSignatures[i] = key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        var count = pems.Length;
        var csrs = new SigningRequest[count];
        var spkis = new byte[count][];
        var names = new List<string>[count];
        var prepared = new (CertificateTemplate Template, PublicKey SubjectKey)[count];
        var ders = new byte[count][];
        var now = DateTimeOffset.UtcNow;

        Console.Error.WriteLine($"Warming up: {settings.WarmUp} requests through every step");
        for (var i = 0; i < settings.WarmUp; i++)
        {
            var csr = IssuancePath.ReadCsr(pems[i % count]);
            var spki = IssuancePath.ResolveKey(csr);
            var (template, subjectKey) = path.Prepare(spki, csr.SubjectCommonName, IssuancePath.StoredNames(csr), now);
            IssuancePath.ReadFacts(path.Issue(template, subjectKey));
            ReferenceVerify(spki, data, referenceSignatures[i % count]);
        }

        var steps = new (string Name, Action<int> Body)[]
        {
            ("1   ReadCsr (SigningRequestReader.Read)", i => csrs[i] = IssuancePath.ReadCsr(pems[i])),
            ("2   ResolveKey (SPKI for the request)", i => spkis[i] = IssuancePath.ResolveKey(csrs[i])),
            ("3a  SignAsync: subject key + template", i => prepared[i] = path.Prepare(spkis[i], csrs[i].SubjectCommonName, names[i] ??= IssuancePath.StoredNames(csrs[i]), now)),
            ("3b  SignAsync: CertificateBuilder.IssueDer", i => ders[i] = path.Issue(prepared[i].Template, prepared[i].SubjectKey)),
            ("3c  SignAsync: CertificateReader.ReadFacts", i => IssuancePath.ReadFacts(ders[i])),
            ("ref .NET ECDsa.ImportSubjectPublicKeyInfo", i => ReferenceImport(spkis[i])),
            ("ref .NET ECDsa import + VerifyData", i => ReferenceVerify(spkis[i], data, referenceSignatures[i])),
        };
        var cpu = new List<double>[steps.Length + 1];
        var allocated = new long[steps.Length + 1];
        for (var s = 0; s < cpu.Length; s++)
        {
            cpu[s] = [];
        }

        Console.Error.WriteLine($"Timing: {settings.Rounds} rounds of {count} CSRs");
        for (var round = 0; round < settings.Rounds; round++)
        {
            for (var s = 0; s < steps.Length; s++)
            {
                var body = steps[s].Body;

                // Each step starts on a clean heap, so a collection the previous step's garbage made due is not charged to it.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var start = ThreadCpu.Nanoseconds();
                for (var i = 0; i < count; i++)
                {
                    body(i);
                }

                cpu[s].Add((ThreadCpu.Nanoseconds() - start) / 1000.0 / count);
                allocated[s] = (GC.GetAllocatedBytesForCurrentThread() - bytes) / count;
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            var wholeBytes = GC.GetAllocatedBytesForCurrentThread();
            var wholeStart = ThreadCpu.Nanoseconds();
            for (var i = 0; i < count; i++)
            {
                var csr = IssuancePath.ReadCsr(pems[i]);
                var spki = IssuancePath.ResolveKey(csr);
                var (template, subjectKey) = path.Prepare(spki, csr.SubjectCommonName, IssuancePath.StoredNames(csr), now);
                IssuancePath.ReadFacts(path.Issue(template, subjectKey));
            }

            cpu[steps.Length].Add((ThreadCpu.Nanoseconds() - wholeStart) / 1000.0 / count);
            allocated[steps.Length] = (GC.GetAllocatedBytesForCurrentThread() - wholeBytes) / count;
        }

        Console.WriteLine();
        foreach (var (name, value) in MachineInfo.Describe(AppContext.BaseDirectory))
        {
            Console.WriteLine($"{name,-8} {value}");
        }

        Console.WriteLine($"{"OpenSSL",-8} {OpenSslVersion()}");
        Console.WriteLine($"{"load",-8} {MachineInfo.LoadAverage()} (1, 5, 15 min)");
        Console.WriteLine();
        Console.WriteLine($"{"step",-46} {"µs CPU",9} {"min",8} {"max",8} {"B alloc",9}");
        var sum = 0.0;
        for (var s = 0; s <= steps.Length; s++)
        {
            var name = s < steps.Length ? steps[s].Name : "all  steps 1-3 interleaved, per request";
            var sorted = cpu[s].Order().ToList();
            var median = sorted[sorted.Count / 2];
            if (s < steps.Length && !name.StartsWith("ref", StringComparison.Ordinal))
            {
                sum += median;
            }

            if (s == steps.Length)
            {
                Console.WriteLine($"{"    sum of steps 1-3c",-46} {sum,9:F1}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-46} {median,9:F1} {sorted[0],8:F1} {sorted[^1],8:F1} {allocated[s],9}"));
        }

        return 0;
    }

    private static void ReferenceImport(byte[] spki)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
    }

    private static void ReferenceVerify(byte[] spki, byte[] data, byte[] signature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
        if (!ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
        {
            throw new InvalidOperationException("reference signature does not verify");
        }
    }

    private static string OpenSslVersion() =>
        !OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS() && SafeEvpPKeyHandle.OpenSslVersion is var v and not 0 ? $"{(v >> 28) & 0xF}.{(v >> 20) & 0xFF}.{(v >> 4) & 0xFF} (0x{v:x})" : "none";
}
