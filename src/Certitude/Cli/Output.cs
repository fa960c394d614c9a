using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Certitude.Cli;

/// <summary>Shared output helpers: results on stdout, messages and progress on stderr.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IAnsiConsole Stderr { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static IAnsiConsole Stdout { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });

    public static void Error(string message) => Console.Error.WriteLine($"error: {message}");

    /// <summary>One CSV field, quoted per RFC 4180 when needed.</summary>
    public static string Csv(object? value)
    {
        var text = value switch
        {
            null => "",
            DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    public static string CsvRow(params object?[] values)
    {
        var row = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            row.Append(i == 0 ? "" : ",").Append(Csv(values[i]));
        }

        return row.ToString();
    }
}
