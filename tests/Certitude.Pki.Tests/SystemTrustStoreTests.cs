using Certitude.Pki.Tests.Support;

namespace Certitude.Pki.Tests;

/// <summary>
/// Real-world certificates: every CA root Debian's ca-certificates package installs, read by <see cref="CertificateReader"/>
/// and by openssl, field by field.
/// </summary>
public sealed class SystemTrustStoreTests
{
    private const string CertificateDirectory = "/etc/ssl/certs";

    [Fact]
    public async Task ReadFacts_EverySystemRoot_MatchesOpenSsl()
    {
        var files = Directory.Exists(CertificateDirectory)
            ? Directory.GetFiles(CertificateDirectory, "*.pem").Order(StringComparer.Ordinal).ToArray()
            : [];
        Assert.SkipWhen(files.Length == 0, $"no CA certificates in {CertificateDirectory} (Debian package ca-certificates)");

        using var directory = new TempDirectory();
        var ders = files.Select(f => CertificateContainerDecoder.Decode(File.ReadAllBytes(f)).Certificates.Single()).ToArray();
        for (var i = 0; i < ders.Length; i++)
        {
            await File.WriteAllBytesAsync(directory.File($"{i:D4}.der"), ders[i], TestContext.Current.CancellationToken);
        }

        // One openssl process per certificate is the cost of x509's one-certificate-per-run interface; two loops share it.
        var halves = await Task.WhenAll(
            ReadAllWithOpenSslAsync(directory.Path, files.Where((_, i) => i % 2 == 0)),
            ReadAllWithOpenSslAsync(directory.Path, files.Where((_, i) => i % 2 == 1)));
        var views = halves.SelectMany(h => h).ToDictionary(v => v.File, v => v.View, StringComparer.Ordinal);
        var sha1 = (await OpenSsl.ScriptAsync(directory.Path, "openssl dgst -sha1 -r *.der")).Text
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(" *"))
            .ToDictionary(parts => parts[1].Trim(), parts => parts[0], StringComparer.Ordinal);

        for (var i = 0; i < files.Length; i++)
        {
            var facts = CertificateReader.ReadFacts(ders[i]);
            var view = views[files[i]];
            try
            {
                OpenSslComparison.AssertCoreFieldsMatch(facts, view);
                Assert.Equal(sha1[$"{i:D4}.der"], facts.Sha1Fingerprint);
                Assert.Equal(view.Version, facts.Version);
            }
            catch (Exception e) when (e is Xunit.Sdk.IAssertionException)
            {
                Assert.Fail($"{files[i]}: {e.Message}");
            }
        }
    }

    private static async Task<List<(string File, OpenSslView View)>> ReadAllWithOpenSslAsync(string workingDirectory, IEnumerable<string> files)
    {
        var list = files.ToList();
        var script = string.Join('\n', list.Select(f =>
            $"echo {OpenSsl.Quote("==> " + f)}; openssl x509 -in {OpenSsl.Quote(f)} -noout -text -nameopt RFC2253 -fingerprint -sha256 -serial -dates -subject -issuer"));
        var output = (await OpenSsl.ScriptAsync(workingDirectory, script, TimeSpan.FromSeconds(120))).Text;
        var sections = output.Split("==> ", StringSplitOptions.RemoveEmptyEntries);
        return sections.Select(section =>
        {
            var newline = section.IndexOf('\n', StringComparison.Ordinal);
            return (section[..newline], OpenSslView.Parse(section[(newline + 1)..]));
        }).ToList();
    }
}
