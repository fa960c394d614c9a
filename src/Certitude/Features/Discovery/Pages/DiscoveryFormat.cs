using System.Globalization;

namespace Certitude.Features.Discovery.Pages;

/// <summary>How the discovery pages write times, target lists and run counts, so every page reads the same.</summary>
internal static class DiscoveryFormat
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "";

    public static string Day(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";

    /// <summary>The first few items and how many more, for a table cell.</summary>
    public static string Summary(IReadOnlyList<string> items, int shown = 3) =>
        items.Count <= shown ? string.Join(", ", items) : $"{string.Join(", ", items.Take(shown))} and {items.Count - shown} more";

    public static string Counts(ScanRunDto run) =>
        $"{run.EndpointsFound} found, {run.Certificates} certificates, {run.NewEndpoints} new, {run.ChangedCertificates} changed, {run.GoneEndpoints} gone, {run.Errors} errors";

    public static bool IsActive(ScanRunState state) => state is ScanRunState.Queued or ScanRunState.Running;

    /// <summary>Lines of a text area as a list: blank lines and surrounding spaces dropped.</summary>
    public static List<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
