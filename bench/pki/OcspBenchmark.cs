using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Certitude.Features.Authority;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace Certitude.Bench.Pki;

/// <summary>
/// OCSP responses per second with wrk, Certitude's responder (POST /ocsp/{ca}) next to <c>openssl ocsp -index</c> on
/// the same certificates, both signing with the same CA key. Every request is first sent once to each responder
/// and its answer checked (signature by the CA key, good or revoked as expected, revocation time).
/// </summary>
/// <remarks>
/// openssl ocsp answers one request per connection: it reads the request, writes an HTTP/1.0 response and closes,
/// whatever the client asks (keep-alive is implemented only for its CMP server); -nrequest only stops the responder
/// after N requests, and -multi N forks N responder processes on one listening socket. So openssl runs with
/// -multi = the number of cores, and Certitude is measured both with a new connection per request (the like-for-like
/// comparison) and with keep-alive (how HTTP clients and caches in front of a responder talk to it), plus requests
/// carrying a nonce (a fresh signature per response, nothing cached).
/// </remarks>
internal static class OcspBenchmark
{
    public const string CertitudeKeepAlive = "certitude, keep-alive";
    public const string CertitudeNewConnection = "certitude, new connection per request";
    public const string CertitudeNonce = "certitude, nonce in every request, keep-alive";
    public const string Openssl = "openssl ocsp -multi N, new connection per request";
    public const string CeilingKeepAlive = "HTTP ceiling: nginx, constant answer, keep-alive";
    public const string CeilingNewConnection = "HTTP ceiling: nginx, constant answer, new connection";

    public static async Task<OcspResult> RunAsync(BenchSettings settings, BenchPki pki, OcspCorpus corpus, CancellationToken cancellationToken)
    {
        var certitudeUrl = new Uri(pki.Server.BaseAddress, $"ocsp/{pki.IssuingName}");
        Console.Error.WriteLine($"Checking every answer of both responders ({corpus.Requests.Count:N0} requests each)");
        await CheckAnswersAsync(certitudeUrl, pki, corpus, cancellationToken);
        var answerLength = (await PostAsync(certitudeUrl, corpus.Requests[0], cancellationToken)).Length;
        await using (var openssl = await StartOpensslAsync(pki, corpus))
        {
            try
            {
                await CheckAnswersAsync(openssl.Url, pki, corpus, cancellationToken);
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidOperationException)
            {
                throw new InvalidOperationException($"openssl ocsp: {e.Message}\n{openssl.Process.Output}", e);
            }
        }

        var runs = new List<WrkResult>
        {
            await Wrk.RunAsync(CertitudeKeepAlive, certitudeUrl.ToString(), corpus.RequestsFile, false, settings, pki.Server.Process, warmUp: true, cancellationToken),
            await Wrk.RunAsync(CertitudeNewConnection, certitudeUrl.ToString(), corpus.RequestsFile, true, settings, pki.Server.Process, warmUp: true, cancellationToken),
            await Wrk.RunAsync(CertitudeNonce, certitudeUrl.ToString(), corpus.NonceRequestsFile, false, settings, pki.Server.Process, warmUp: true, cancellationToken),
        };
        // A fresh responder and no warm-up run (it has nothing to warm): openssl 3.0's responder processes spin
        // forever on a connection the client closed mid-request, as every wrk run leaves some at its end.
        await using (var openssl = await StartOpensslAsync(pki, corpus))
        {
            runs.Add(await Wrk.RunAsync(Openssl, openssl.Url.ToString(), corpus.RequestsFile, true, settings, openssl.Process, warmUp: false, cancellationToken));
        }

        // What HTTP alone allows on this machine with the same client: nginx answering from memory.
        await using (var nginx = await NginxConstantResponder.StartAsync(settings.WorkDirectory, answerLength))
        {
            runs.Add(await Wrk.RunAsync(CeilingKeepAlive, nginx.Url.ToString(), corpus.RequestsFile, false, settings, nginx.Process, warmUp: true, cancellationToken));
            runs.Add(await Wrk.RunAsync(CeilingNewConnection, nginx.Url.ToString(), corpus.RequestsFile, true, settings, nginx.Process, warmUp: true, cancellationToken));
        }

        return new OcspResult(corpus.Entries.Count, corpus.Revoked, runs);
    }

    /// <summary>
    /// openssl ocsp -index on the same data and CA key, one responder process per core (-multi), answering like
    /// Certitude: ResponderID byKey, no certificates (the CA signs itself), nextUpdate as Certitude's default.
    /// It listens on every interface (-port takes no address): ./run puts the benchmark in a network namespace.
    /// </summary>
    private static async Task<OpensslResponder> StartOpensslAsync(BenchPki pki, OcspCorpus corpus)
    {
        var port = Loopback.FreePort();
        var validityMinutes = (new AuthorityOptions().OcspValidityHours * 60).ToString(CultureInfo.InvariantCulture);
        var process = ExternalProcess.Start("openssl ocsp", "openssl",
        [
            "ocsp", "-index", corpus.IndexFile, "-CA", pki.IssuingCertificateFile, "-rsigner", pki.IssuingCertificateFile, "-rkey", pki.IssuingKeyFile,
            "-port", port.ToString(CultureInfo.InvariantCulture), "-multi", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            "-nmin", validityMinutes, "-resp_key_id", "-resp_no_certs",
        ], terminate: false);
        // Not probed with a connection: a responder process given a connection that closes without a request spins
        // on it for good. openssl prints "ACCEPT ..." once it listens.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!process.Output.Contains("ACCEPT", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await process.DisposeAsync();
                throw new InvalidOperationException($"openssl ocsp did not start listening:\n{process.Output}");
            }

            await Task.Delay(50);
        }

        return new OpensslResponder(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
    }

    private sealed record OpensslResponder(ExternalProcess Process, Uri Url) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

    private static async Task CheckAnswersAsync(Uri url, BenchPki pki, OcspCorpus corpus, CancellationToken cancellationToken)
    {
        var caKey = new X509CertificateParser().ReadCertificate(pki.IssuingCertificate.RawData).GetPublicKey();
        var failures = new List<string>();
        for (var i = 0; i < corpus.Requests.Count; i++)
        {
            if (Check(await PostAsync(url, corpus.Requests[i], cancellationToken), corpus.Entries[i], caKey) is { } problem)
            {
                failures.Add(problem);
            }
        }

        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"{url}: {failures.Count} wrong answers, e.g. {failures[0]}");
        }
    }

    /// <summary>
    /// One POST on a connection of its own, the request written at once and the answer read to the end — as wrk and
    /// curl do it. (HttpClient's pooled connections do not suit openssl ocsp -multi: each responder process waits,
    /// without a timeout, for the request of the connection it accepted, and resets connections it did not expect.)
    /// </summary>
    private static async Task<byte[]> PostAsync(Uri url, byte[] body, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port, cancellationToken);
        await using var stream = client.GetStream();
        var head = Encoding.ASCII.GetBytes(
            $"POST {url.AbsolutePath} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/ocsp-request\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head.Concat(body).ToArray(), cancellationToken);
        using var response = new MemoryStream();
        await stream.CopyToAsync(response, cancellationToken);
        var bytes = response.ToArray();
        var separator = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var status = Encoding.ASCII.GetString(bytes, 0, Math.Max(0, bytes.AsSpan().IndexOf("\r\n"u8)));
        if (separator < 0 || !status.Contains(" 200 ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{url}: answered '{status}'");
        }

        return bytes[(separator + 4)..];
    }

    private static string? Check(byte[] der, OcspEntry expected, Org.BouncyCastle.Crypto.AsymmetricKeyParameter caKey)
    {
        var serial = Convert.ToHexString(expected.Serial);
        var response = new OcspResp(der);
        if (response.Status != OcspRespStatus.Successful || response.GetResponseObject() is not BasicOcspResp basic)
        {
            return $"{serial}: response status {response.Status}";
        }

        if (!basic.Verify(caKey) || basic.Responses.Length != 1)
        {
            return $"{serial}: signature does not verify with the CA key, or not one single response";
        }

        var single = basic.Responses[0];
        if (Convert.ToHexString(single.GetCertID().SerialNumber.ToByteArrayUnsigned()) != Convert.ToHexString(expected.Serial.AsSpan().TrimStart((byte)0)))
        {
            return $"{serial}: answers for another serial";
        }

        return (single.GetCertStatus(), expected.RevokedAt) switch
        {
            (null, null) => null,
            (RevokedStatus revoked, { } at) when new DateTimeOffset(DateTime.SpecifyKind(revoked.RevocationTime, DateTimeKind.Utc)).ToUnixTimeSeconds() == at.ToUnixTimeSeconds() => null,
            (var status, _) => $"{serial}: {status?.GetType().Name ?? "good"}, expected {(expected.RevokedAt is null ? "good" : $"revoked at {expected.RevokedAt:O}")}",
        };
    }
}
