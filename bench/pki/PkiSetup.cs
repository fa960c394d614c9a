using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Certitude.Bench.Pki;

/// <summary>
/// A root and an issuing CA (EC P-256) made with openssl and brought in with <c>certitude ca import</c> — so that
/// openssl ocsp can sign with the very key Certitude signs with — a division owning the benchmark's domain with
/// approval policy AutoApprove and the issuing CA as its default, the server, and an administrator's API key.
/// </summary>
internal static class PkiSetup
{
    public const string Domain = "bench.example";
    private const string RootName = "bench-root";
    private const string IssuingName = "bench-issuing";

    public static async Task<BenchPki> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        var ca = Path.Combine(settings.WorkDirectory, "ca");
        var data = Path.Combine(settings.WorkDirectory, "data");
        Directory.CreateDirectory(ca);
        await MakeCasAsync(ca, cancellationToken);

        Console.Error.WriteLine("Importing the CAs and creating the division (certitude ca import, divisions create)");
        await CliAsync(settings, data, ["ca", "import", RootName, "--cert", Path.Combine(ca, "root.pem"), "--key", Path.Combine(ca, "root.key"), "--not-issuing"], cancellationToken);
        await CliAsync(settings, data, ["ca", "import", IssuingName, "--cert", Path.Combine(ca, "issuing.pem"), "--key", Path.Combine(ca, "issuing.key")], cancellationToken);
        using var divisions = JsonDocument.Parse(await CliAsync(settings, data, ["divisions", "list", "--format", "json"], cancellationToken));
        var root = divisions.RootElement.EnumerateArray().Single(d => d.GetProperty("parentId").ValueKind == JsonValueKind.Null).GetProperty("id").GetInt64();
        using var division = JsonDocument.Parse(await CliAsync(settings, data,
            ["divisions", "create", "bench", "--parent", root.ToString(System.Globalization.CultureInfo.InvariantCulture), "--domain", Domain, "--approval", "AutoApprove", "--format", "json"],
            cancellationToken));
        var divisionId = division.RootElement.GetProperty("id").GetInt64();

        Console.Error.WriteLine("Starting certitude serve");
        var server = await CertitudeServerProcess.StartAsync(settings.CertitudeDll, data);
        try
        {
            using var created = JsonDocument.Parse(await CliAsync(settings, data, ["apikeys", "create", "--name", "bench", "--format", "json"], cancellationToken));
            var apiKey = created.RootElement.GetProperty("key").GetString() ?? throw new InvalidOperationException("no key");
            using var client = server.CreateClient(apiKey, 1);
            using var patch = await client.PatchAsJsonAsync($"api/v1/divisions/{divisionId}", new { defaultAuthority = IssuingName }, cancellationToken);
            if (!patch.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"setting the division's default CA: {(int)patch.StatusCode} {await patch.Content.ReadAsStringAsync(cancellationToken)}");
            }

            return new BenchPki(server, apiKey, divisionId, Domain, IssuingName,
                X509CertificateLoader.LoadCertificateFromFile(Path.Combine(ca, "issuing.pem")),
                Path.Combine(ca, "issuing.pem"), Path.Combine(ca, "issuing.key"));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task MakeCasAsync(string ca, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("Making the root and issuing CA with openssl (EC P-256)");
        await File.WriteAllTextAsync(Path.Combine(ca, "issuing.ext"),
            """
            basicConstraints = critical, CA:TRUE, pathlen:0
            keyUsage = critical, keyCertSign, cRLSign, digitalSignature
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid
            """, cancellationToken);
        string[][] steps =
        [
            ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "root.key"],
            ["req", "-x509", "-new", "-key", "root.key", "-sha256", "-days", "3650", "-subj", "/O=Certitude Bench/CN=Bench Root CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "root.pem"],
            ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "issuing.key"],
            ["req", "-new", "-key", "issuing.key", "-sha256", "-subj", "/O=Certitude Bench/CN=Bench Issuing CA", "-out", "issuing.csr"],
            ["x509", "-req", "-in", "issuing.csr", "-CA", "root.pem", "-CAkey", "root.key", "-sha256", "-days", "1825", "-set_serial", "0x1000",
                "-extfile", "issuing.ext", "-out", "issuing.pem"],
        ];
        foreach (var step in steps)
        {
            await ExternalProcess.RunAsync("openssl", step, ca, cancellationToken: cancellationToken);
        }
    }

    /// <summary>A local command on the data folder (the folder's owner acts as administrator).</summary>
    private static Task<string> CliAsync(BenchSettings settings, string data, string[] arguments, CancellationToken cancellationToken) =>
        ExternalProcess.RunAsync("dotnet", [settings.CertitudeDll, .. arguments, "--data", data], cancellationToken: cancellationToken);
}
