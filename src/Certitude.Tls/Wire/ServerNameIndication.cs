using System.Globalization;
using System.Net;

namespace Certitude.Tls.Wire;

/// <summary>Which name, if any, goes into the server_name extension (RFC 6066 §3).</summary>
internal static class ServerNameIndication
{
    /// <summary>
    /// The ASCII host name to send, or null: RFC 6066 §3 allows no IP literals and no trailing dot; internationalized
    /// names go as A-labels. Returns the same string instance when nothing changes, so the hot path allocates nothing.
    /// </summary>
    public static string? ToHostName(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return null;
        }

        var name = serverName.EndsWith('.') ? serverName[..^1] : serverName;
        if (name.Length == 0 || IPAddress.TryParse(name.AsSpan().Trim("[]"), out _))
        {
            return null;
        }

        if (!IsPrintableAscii(name))
        {
            try
            {
                name = new IdnMapping().GetAscii(name);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        return name.Length <= 253 && IsPrintableAscii(name) ? name : null;
    }

    private static bool IsPrintableAscii(string name)
    {
        foreach (var c in name)
        {
            if (c is <= ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
