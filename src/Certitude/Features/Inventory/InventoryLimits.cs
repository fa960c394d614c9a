namespace Certitude.Features.Inventory;

/// <summary>Input limits of the inventory, one place for the API, the UI and the CLI.</summary>
public static class InventoryLimits
{
    public const int MaxTagLength = 64;
    public const int MaxTagsPerCertificate = 50;
    public const int MaxNotesLength = 8192;
    public const int MaxOwnerLength = 256;
    public const int MaxSearchKeyLength = 512;
    public const int MaxPageSize = 1000;
    public const int DefaultPageSize = 50;
}
