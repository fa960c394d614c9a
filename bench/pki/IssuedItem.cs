namespace Certitude.Bench.Pki;

/// <summary>One certificate the API issued: its request, its inventory record, its name.</summary>
internal sealed record IssuedItem(long RequestId, long CertificateId, string Name);
