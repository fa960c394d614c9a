namespace Certitude.Features.Inventory;

/// <summary>A certificate the inventory already holds, as the importer needs to know it.</summary>
internal readonly record struct StoredCertificate(long Id, bool Deleted, long DivisionId);
