// Compiled into each benchmark program (see their .csproj): one machine description for every benchmark.
using System.Runtime.InteropServices;

namespace Certitude.Bench;

/// <summary>What the figures were measured on, printed with them (Linux: /proc and /etc/os-release).</summary>
internal static class MachineInfo
{
    public static IReadOnlyList<(string Name, string Value)> Describe(string workDirectory)
    {
        var drive = new DriveInfo(Path.GetPathRoot(Path.GetFullPath(workDirectory)) ?? "/");
        return
        [
            ("cpu", $"{Environment.ProcessorCount} x {FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString()}"),
            ("memory", FirstValue("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], out var total)
                ? $"{total / 1024.0 / 1024:F1} GiB" : "unknown"),
            ("disk", $"{drive.DriveFormat}, {drive.TotalSize / 1e9:F0} GB, {drive.AvailableFreeSpace / 1e9:F0} GB free"),
            ("os", $"{OsName()} (kernel {Read("/proc/sys/kernel/osrelease")?.Trim() ?? "?"})"),
            (".NET", RuntimeInformation.FrameworkDescription),
        ];
    }

    /// <summary>The 1, 5 and 15 minute load averages: above the number of CPUs, something else was running too.</summary>
    public static string LoadAverage() => Read("/proc/loadavg")?.Split(' ').Take(3) is { } load ? string.Join(" ", load) : "unknown";

    private static string OsName() =>
        Read("/etc/os-release")?.Split('\n').FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"')
        ?? RuntimeInformation.OSDescription;

    private static string? FirstValue(string path, string key) =>
        Read(path)?.Split('\n').Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim() == key)?[1].Trim();

    private static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
