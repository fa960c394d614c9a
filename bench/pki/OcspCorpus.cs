using System.Formats.Asn1;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Certitude.Pki.Ocsp;

namespace Certitude.Bench.Pki;

/// <summary>
/// The OCSP workload: certificates from the issuance run, a share of them revoked through the API (with several
/// reasons), one DER OCSP request per certificate (SHA-1 CertID, as browsers and openssl send), the same again
/// with a nonce, and openssl's index.txt holding the same statuses and revocation times.
/// </summary>
internal sealed class OcspCorpus
{
    /// <summary>id-pkix-ocsp-nonce (RFC 8954 §2.1).</summary>
    private const string NonceOid = "1.3.6.1.5.5.7.48.1.2";

    private static readonly string[] Reasons = ["Superseded", "KeyCompromise", "CessationOfOperation", "AffiliationChanged", "Unspecified"];

    private OcspCorpus(IReadOnlyList<OcspEntry> entries, string requestsFile, string nonceRequestsFile, string indexFile, IReadOnlyList<byte[]> requests)
    {
        Entries = entries;
        RequestsFile = requestsFile;
        NonceRequestsFile = nonceRequestsFile;
        IndexFile = indexFile;
        Requests = requests;
    }

    public IReadOnlyList<OcspEntry> Entries { get; }

    /// <summary>Hex lines for wrk: requests without a nonce (RFC 5019's lightweight profile; what browsers send).</summary>
    public string RequestsFile { get; }

    /// <summary>Hex lines for wrk: the same requests with a nonce each (RFC 8954): a response must be signed for each.</summary>
    public string NonceRequestsFile { get; }

    public string IndexFile { get; }

    public IReadOnlyList<byte[]> Requests { get; }

    public int Revoked => Entries.Count(e => e.RevokedAt is not null);

    public static async Task<OcspCorpus> BuildAsync(BenchSettings settings, BenchPki pki, IReadOnlyList<IssuedItem> issued, CancellationToken cancellationToken)
    {
        var chosen = issued.Take(settings.OcspCertificates).ToList();
        Console.Error.WriteLine($"OCSP corpus: downloading {chosen.Count:N0} certificates, revoking {settings.RevokedShare:P0} of them");
        using var client = pki.Server.CreateClient(pki.ApiKey, 4);
        var certificates = new X509Certificate2[chosen.Count];
        await Parallel.ForAsync(0, chosen.Count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
            certificates[i] = X509CertificateLoader.LoadCertificate(await client.GetByteArrayAsync($"api/v1/certificates/{chosen[i].CertificateId}/download?format=der", ct)));

        var entries = new OcspEntry[chosen.Count];
        var revoked = 0;
        for (var i = 0; i < chosen.Count; i++)
        {
            var certificate = certificates[i];
            DateTimeOffset? revokedAt = null;
            string? reason = null;
            // Spread evenly: certificate i is revoked when the running share crosses a whole number.
            if (Math.Floor((i + 1) * settings.RevokedShare) > Math.Floor(i * settings.RevokedShare))
            {
                reason = Reasons[revoked++ % Reasons.Length];
                using var response = await client.PostAsJsonAsync($"api/v1/certificates/{chosen[i].CertificateId}/revoke", new { reason }, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"revoking {chosen[i].Name}: {(int)response.StatusCode} {body}");
                }

                using var json = JsonDocument.Parse(body);
                revokedAt = json.RootElement.GetProperty("revokedAt").GetDateTimeOffset();
            }

            entries[i] = new OcspEntry(certificate.SerialNumberBytes.ToArray(), certificate.Subject, certificate.NotAfter.ToUniversalTime(), revokedAt, reason);
            certificate.Dispose();
        }

        var folder = Path.Combine(settings.WorkDirectory, "ocsp");
        Directory.CreateDirectory(folder);
        var requests = entries.Select(e => Request(pki.IssuingCertificate, e.Serial, null)).ToList();
        var requestsFile = Path.Combine(folder, "requests.hex");
        await File.WriteAllLinesAsync(requestsFile, requests.Select(Convert.ToHexString), cancellationToken);
        var nonceRequestsFile = Path.Combine(folder, "requests-nonce.hex");
        await File.WriteAllLinesAsync(nonceRequestsFile, entries.Select(e => Convert.ToHexString(Request(pki.IssuingCertificate, e.Serial, RandomNumberGenerator.GetBytes(16)))), cancellationToken);
        var indexFile = Path.Combine(folder, "index.txt");
        await File.WriteAllTextAsync(indexFile, Index(entries), cancellationToken);
        await File.WriteAllTextAsync(indexFile + ".attr", "unique_subject = no\n", cancellationToken);
        return new OcspCorpus(entries, requestsFile, nonceRequestsFile, indexFile, requests);
    }

    /// <summary>An OCSPRequest (RFC 6960 §4.1.1) for one certificate: SHA-1 CertID, optionally a nonce extension (RFC 8954).</summary>
    private static byte[] Request(X509Certificate2 issuer, byte[] serial, byte[]? nonce)
    {
        var id = OcspCertificateId.Create(issuer, serial, HashAlgorithmName.SHA1);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        using (writer.PushSequence())
                        {
                            using (writer.PushSequence())
                            {
                                writer.WriteObjectIdentifier(id.HashAlgorithmOid);
                                writer.WriteNull();
                            }

                            writer.WriteOctetString(id.IssuerNameHash);
                            writer.WriteOctetString(id.IssuerKeyHash);
                            writer.WriteInteger(id.SerialNumber);
                        }
                    }
                }

                if (nonce is not null)
                {
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
                    {
                        using (writer.PushSequence())
                        {
                            using (writer.PushSequence())
                            {
                                writer.WriteObjectIdentifier(NonceOid);
                                using (writer.PushOctetString())
                                {
                                    writer.WriteOctetString(nonce);
                                }
                            }
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>
    /// openssl ca's database, which openssl ocsp -index answers from: status, expiry, revocation time[,reason],
    /// serial (uppercase hex as BN_bn2hex prints it), file name, subject.
    /// </summary>
    private static string Index(IEnumerable<OcspEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            var serial = entry.Serial.AsSpan().TrimStart((byte)0);
            var revocation = entry.RevokedAt is { } at ? $"{UtcTime(at)},{OpensslReason(entry.Reason!)}" : "";
            text.Append(CultureInfo.InvariantCulture,
                $"{(entry.RevokedAt is null ? 'V' : 'R')}\t{UtcTime(entry.NotAfter)}\t{revocation}\t{Convert.ToHexString(serial)}\tunknown\t/{entry.Subject.Replace(", ", "/", StringComparison.Ordinal)}\n");
        }

        return text.ToString();
    }

    private static string UtcTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyMMddHHmmss'Z'", CultureInfo.InvariantCulture);

    private static string OpensslReason(string reason) => reason switch
    {
        "KeyCompromise" => "keyCompromise",
        "CessationOfOperation" => "cessationOfOperation",
        "AffiliationChanged" => "affiliationChanged",
        "Superseded" => "superseded",
        _ => "unspecified",
    };
}
