using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;

namespace Certitude.Bench.Discovery;

/// <summary>
/// <c>nmap -Pn -n -p 8443 --script ssl-cert -oX FILE TARGET</c>: no host discovery (every address is scanned), no DNS.
/// ssl-cert prints only the MD5 and SHA-1 of the certificate, but its XML output has the certificate itself (the
/// <c>pem</c> element), from which the SHA-256 compared with Certitude's is computed.
/// </summary>
internal sealed class NmapScanner : IScanner
{
    private static readonly string Port = NginxFixture.Port.ToString(CultureInfo.InvariantCulture);

    public string Name => "nmap";

    public string CommandLine(string target) => $"nmap -Pn -n -p {Port} --script ssl-cert -oX FILE {target}";

    public async Task<(TimedRun Run, ScanFindings? Findings)> ScanAsync(string target, string outputDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var xml = Path.Combine(outputDirectory, "nmap.xml");
        File.Delete(xml);
        var run = await TimedProcess.RunAsync("nmap", ["-Pn", "-n", "-p", Port, "--script", "ssl-cert", "-oX", xml, target], timeout, cancellationToken);
        if (run.TimedOut)
        {
            return (run, null);
        }

        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{CommandLine(target)} exited with {run.ExitCode}:\n{run.Output}{run.Error}");
        }

        return (run, Parse(XDocument.Load(xml)));
    }

    private static ScanFindings Parse(XDocument document)
    {
        var certificates = new Dictionary<string, string>(StringComparer.Ordinal);
        var failures = new List<string>();
        var open = 0;
        foreach (var host in document.Descendants("host"))
        {
            var address = host.Elements("address").First(a => (string?)a.Attribute("addrtype") == "ipv4").Attribute("addr")!.Value;
            foreach (var port in host.Descendants("port").Where(p => (string?)p.Element("state")?.Attribute("state") == "open"))
            {
                open++;
                var key = $"{address}:{port.Attribute("portid")!.Value}";
                var pem = port.Elements("script").Where(s => (string?)s.Attribute("id") == "ssl-cert")
                    .Descendants("elem").FirstOrDefault(e => (string?)e.Attribute("key") == "pem")?.Value;
                if (pem is null)
                {
                    failures.Add($"{key}: open, no ssl-cert output");
                    continue;
                }

                using var certificate = X509Certificate2.CreateFromPem(pem);
                certificates[key] = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
            }
        }

        return new ScanFindings(open, certificates, failures, new Dictionary<string, int>());
    }
}
