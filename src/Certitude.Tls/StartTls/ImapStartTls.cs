namespace Certitude.Tls.StartTls;

/// <summary>IMAP: greeting, STARTTLS (RFC 9051 §6.2.1, §7.1).</summary>
internal static class ImapStartTls
{
    private const string Tag = "a";

    public static async Task NegotiateAsync(StartTlsConnection connection)
    {
        // RFC 9051 §7.1: the greeting is "* OK" (not authenticated: STARTTLS allowed), "* PREAUTH" (already
        // authenticated: STARTTLS no longer allowed, §6.2.1) or "* BYE" (go away).
        var greeting = await connection.ReadLineAsync().ConfigureAwait(false);
        if (!HasStatus(greeting, "*", "OK"))
        {
            throw connection.Fail("the server's greeting is not \"* OK\"", greeting);
        }

        // A greeting may list the capabilities (RFC 9051 §7.1, the CAPABILITY response code); when it does and
        // STARTTLS is missing, say so rather than asking and reporting a less telling "BAD".
        var capabilities = CapabilityCode(greeting);
        if (capabilities is not null && !capabilities.Contains("STARTTLS", StringComparer.OrdinalIgnoreCase))
        {
            throw connection.Fail("server does not offer STARTTLS", greeting);
        }

        await connection.WriteLineAsync(Tag + " STARTTLS").ConfigureAwait(false);

        // Untagged responses may come before the tagged completion (RFC 9051 §2.2.2); their number is bounded by the
        // connection's byte limit.
        while (true)
        {
            var line = await connection.ReadLineAsync().ConfigureAwait(false);
            if (HasStatus(line, Tag, "OK"))
            {
                return;
            }

            if (HasStatus(line, Tag, "NO") || HasStatus(line, Tag, "BAD") || HasStatus(line, "*", "BYE"))
            {
                throw connection.Fail("the server refused STARTTLS", line);
            }

            if (!line.StartsWith("* ", StringComparison.Ordinal))
            {
                throw connection.Fail("unexpected reply to STARTTLS", line);
            }
        }
    }

    private static bool HasStatus(string line, string tag, string status) =>
        line.Length >= tag.Length + 1 + status.Length
        && line.StartsWith(tag + " ", StringComparison.Ordinal)
        && line.AsSpan(tag.Length + 1).StartsWith(status, StringComparison.OrdinalIgnoreCase)
        && (line.Length == tag.Length + 1 + status.Length || line[tag.Length + 1 + status.Length] == ' ');

    /// <summary>The words of a "[CAPABILITY ...]" response code in the greeting, or null when there is none.</summary>
    private static string[]? CapabilityCode(string greeting)
    {
        const string Code = "[CAPABILITY ";
        var start = greeting.IndexOf(Code, StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            return null;
        }

        start += Code.Length;
        var end = greeting.IndexOf(']', start);
        return end < 0 ? null : greeting[start..end].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
