namespace Certitude.Features.Inventory;

/// <summary>Readable names for the object identifiers people meet in certificates (RFC 5280 §4.2.1.12,
/// CA/Browser Forum Baseline Requirements §7.1.6.1). The API returns OIDs; the UI and CLI show both.</summary>
public static class OidNames
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["1.3.6.1.5.5.7.3.1"] = "TLS server authentication",
        ["1.3.6.1.5.5.7.3.2"] = "TLS client authentication",
        ["1.3.6.1.5.5.7.3.3"] = "Code signing",
        ["1.3.6.1.5.5.7.3.4"] = "Email protection",
        ["1.3.6.1.5.5.7.3.8"] = "Time stamping",
        ["1.3.6.1.5.5.7.3.9"] = "OCSP signing",
        ["2.5.29.37.0"] = "Any extended key usage",
        ["1.3.6.1.4.1.311.20.2.2"] = "Smart card logon",
        ["1.3.6.1.5.2.3.5"] = "Kerberos KDC",
        ["2.5.29.32.0"] = "Any policy",
        ["2.23.140.1.1"] = "Extended validation (EV)",
        ["2.23.140.1.2.1"] = "Domain validated (DV)",
        ["2.23.140.1.2.2"] = "Organization validated (OV)",
        ["2.23.140.1.2.3"] = "Individual validated (IV)",
        ["2.23.140.1.31"] = "Onion EV",
        ["1.3.6.1.4.1.11129.2.5.3"] = "Certificate Transparency precertificate signing",
    };

    /// <summary>"Name (OID)" when the OID is known, otherwise the OID.</summary>
    public static string Describe(string oid) => Names.TryGetValue(oid, out var name) ? $"{name} ({oid})" : oid;
}
