namespace Certitude.Pki.Tests.Support;

/// <summary>One extension as <c>openssl x509 -text</c> prints it: the heading and the indented lines under it.</summary>
internal sealed record OpenSslExtension(string Name, bool Critical, IReadOnlyList<string> Lines)
{
    public string Body => string.Join('\n', Lines);
}
