using System.Security.Cryptography.X509Certificates;

namespace Certitude.Pki.Tests.Support;

/// <summary>What openssl prints for a certificate made in the test.</summary>
internal static class OpenSslViews
{
    public static async Task<OpenSslView> OfAsync(X509Certificate2 certificate)
    {
        using var directory = new TempDirectory();
        var path = directory.File("cert.pem");
        await File.WriteAllTextAsync(path, Pem.Certificate(certificate.RawData), TestContext.Current.CancellationToken);
        return await OpenSslCorpus.ReadWithOpenSslAsync(directory.Path, path);
    }
}
