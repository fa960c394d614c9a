using System.Globalization;

namespace Certitude.Bench;

/// <summary>
/// The benchmarks' command line: <c>--name value</c> pairs, every name known, <c>--certitude</c> required; numbers may
/// carry '_' separators. Invalid input throws <see cref="ArgumentException"/> carrying the usage text.
/// </summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values;

    private BenchArguments(Dictionary<string, string> values, string usage)
    {
        _values = values;
        Usage = usage;
    }

    public string Usage { get; }

    /// <summary>The built <c>certitude.dll</c>, as a full path.</summary>
    public string Certitude => Path.GetFullPath(_values["certitude"]);

    /// <summary>The work folder (default: <c>work</c> beside the benchmark), as a full path.</summary>
    public string WorkDirectory => Path.GetFullPath(_values.GetValueOrDefault("work", Path.Combine(AppContext.BaseDirectory, "work")));

    public static BenchArguments Parse(string[] args, IReadOnlyCollection<string> known, string usage)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'\n{usage}");
            }

            values[args[i][2..]] = args[++i];
        }

        return values.Keys.All(k => k is "certitude" or "work" || known.Contains(k)) && values.ContainsKey("certitude")
            ? new BenchArguments(values, usage)
            : throw new ArgumentException(usage);
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public int Number(string name, int fallback) =>
        int.Parse(_values.GetValueOrDefault(name, fallback.ToString(CultureInfo.InvariantCulture)).Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    public double Decimal(string name, double fallback) =>
        double.Parse(_values.GetValueOrDefault(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
