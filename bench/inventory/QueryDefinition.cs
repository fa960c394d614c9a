using Certitude.Features.Inventory;

namespace Certitude.Bench.Inventory;

/// <param name="Name">As printed in the table.</param>
/// <param name="Query">The filters and sort.</param>
/// <param name="DeepPage">Start from a cursor half-way through the rows instead of the first page.</param>
internal sealed record QueryDefinition(string Name, CertificateQuery Query, bool DeepPage = false);
