namespace Certitude.Features.Inventory;

/// <summary>Where a recorded certificate came from: kind (<see cref="CertificateSourceKinds"/>), location and who.</summary>
internal sealed record RecordedSource(string Kind, string Location, string Actor);
