using System.ComponentModel.DataAnnotations;

namespace Certitude.Features.Inventory;

/// <summary>Configuration section "Inventory" (environment: CERTITUDE_Inventory__Key).</summary>
public sealed class InventoryOptions
{
    public const string SectionName = "Inventory";

    /// <summary>A certificate is "expiring" when it ends within this many days.</summary>
    [Range(1, 3650)]
    public int ExpiringWindowDays { get; set; } = 30;

    /// <summary>Largest single file accepted for import (uploads and files on disk).</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest whole upload request.</summary>
    [Range(1024, 4L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Files decoded and written per database transaction during an import.</summary>
    [Range(1, 10000)]
    public int ImportBatchSize { get; set; } = 500;

    /// <summary>A text search whose prefix matches at most this many search keys starts from the key index; one
    /// matching more walks the list's sort order instead (see <see cref="InventoryService"/>). A tuning knob: the
    /// default is where the two plans cost the same at a million certificates (docs/benchmarks.md).</summary>
    [Range(0, 1_000_000)]
    public int TextSearchKeyIndexThreshold { get; set; } = 10_000;
}
