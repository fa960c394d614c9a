using System.Text;

namespace Certitude.Pki.Tests.Support;

/// <summary>What a finished process wrote.</summary>
/// <param name="Output">Standard output, as bytes (DER may come out of it).</param>
/// <param name="Error">Standard error.</param>
internal sealed record ProcessResult(byte[] Output, string Error)
{
    /// <summary>Standard output as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Output);
}
