namespace Certitude.Tls.StartTls;

/// <summary>A reply of SMTP or FTP: a three-digit code and its text lines (the code and separator removed).</summary>
internal sealed record NumericReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>The reply as the server sent it, for error messages.</summary>
    public string Text => string.Join('\n', Lines.Select(line => $"{Code} {line}"));

    /// <summary>Reads a complete reply, following continuation lines.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="freeFormContinuation">
    /// FTP (RFC 959 §4.2): between "xyz-" and the closing "xyz " the lines may be any text. SMTP (RFC 5321 §4.2.1):
    /// every line carries the code, "xyz-" on all but the last.
    /// </param>
    public static async ValueTask<NumericReply> ReadAsync(StartTlsConnection connection, bool freeFormContinuation)
    {
        var first = await connection.ReadLineAsync().ConfigureAwait(false);
        if (!TryParse(first, out var code, out var more, out var text))
        {
            throw connection.Fail("the server's reply is not a numeric reply", first);
        }

        var lines = new List<string> { text };
        while (more)
        {
            if (lines.Count >= StartTlsConnection.MaxReplyLines)
            {
                throw connection.Fail($"the server's reply has more than {StartTlsConnection.MaxReplyLines} lines", string.Join('\n', lines));
            }

            var line = await connection.ReadLineAsync().ConfigureAwait(false);
            if (TryParse(line, out var lineCode, out more, out text) && lineCode == code)
            {
                lines.Add(text);
            }
            else if (freeFormContinuation)
            {
                lines.Add(line);
                more = true;
            }
            else
            {
                throw connection.Fail($"a continuation line of the server's {code} reply does not carry the code", line);
            }
        }

        return new NumericReply(code, lines);
    }

    /// <summary>"250-text", "250 text" or "250": a code of three digits, the first 1 to 5.</summary>
    private static bool TryParse(string line, out int code, out bool more, out string text)
    {
        code = 0;
        more = false;
        text = "";
        if (line.Length < 3 || line[0] is < '1' or > '5' || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2]))
        {
            return false;
        }

        code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        if (line.Length == 3)
        {
            return true;
        }

        if (line[3] is not ('-' or ' '))
        {
            return false;
        }

        more = line[3] == '-';
        text = line[4..];
        return true;
    }
}
