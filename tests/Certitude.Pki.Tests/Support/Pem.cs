using System.Security.Cryptography;

namespace Certitude.Pki.Tests.Support;

/// <summary>PEM helpers built on .NET's own PEM reader, independent of the decoder under test.</summary>
internal static class Pem
{
    public static byte[] ReadSingleDer(string path)
    {
        var text = File.ReadAllText(path);
        var fields = PemEncoding.Find(text);
        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    public static string Certificate(byte[] der)
    {
        return PemEncoding.WriteString("CERTIFICATE", der) + "\n";
    }
}
