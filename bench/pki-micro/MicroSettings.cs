using System.Globalization;

namespace Certitude.Bench.PkiMicro;

/// <summary>How much to run: distinct CSRs (one key each), warm-up passes over the full path, timed rounds.</summary>
internal sealed record MicroSettings(int Csrs, int WarmUp, int Rounds)
{
    public static MicroSettings Parse(string[] args)
    {
        var settings = new MicroSettings(Csrs: 2000, WarmUp: 8000, Rounds: 7);
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture)
                : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--csrs" => settings with { Csrs = value },
                "--warm-up" => settings with { WarmUp = value },
                "--rounds" => settings with { Rounds = value },
                _ => throw new ArgumentException($"unknown option {args[i]} (--csrs N, --warm-up N, --rounds N)"),
            };
        }

        return settings;
    }
}
