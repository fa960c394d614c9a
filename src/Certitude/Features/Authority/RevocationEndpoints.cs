using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certitude.Features.Authority;

/// <summary>
/// What relying parties fetch without signing in, at the URLs put into issued certificates: CRLs (RFC 5280 §4.2.1.13),
/// the OCSP responder (RFC 6960 Appendix A: GET with the base64 request in the path, POST with the DER body), and
/// each CA's certificate (AIA caIssuers, RFC 5280 §4.2.2.1).
/// </summary>
public static class RevocationEndpoints
{
    private const string OcspRequestType = "application/ocsp-request";
    private const string OcspResponseType = "application/ocsp-response";
    private const int MaxOcspRequestBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapRevocation(this IEndpointRouteBuilder app)
    {
        app.MapGet("/crl/{file}", CrlAsync).WithName("GetCrl").WithTags("Revocation").AllowAnonymous()
            .WithSummary("A CA's current CRL (DER): /crl/{ca}.crl");
        app.MapGet("/ca/{file}", CaCertificateAsync).WithName("GetCaCertificate").WithTags("Revocation").AllowAnonymous()
            .WithSummary("A CA's certificate (DER): /ca/{ca}.crt");
        app.MapGet("/ocsp/{name}/{**request}", OcspGetAsync).WithName("OcspGet").WithTags("Revocation").AllowAnonymous()
            .WithSummary("OCSP, GET form: the DER request base64-encoded in the path");
        app.MapPost("/ocsp/{name}", OcspPostAsync).WithName("OcspPost").WithTags("Revocation").AllowAnonymous()
            .WithSummary("OCSP, POST form: the DER request as application/ocsp-request")
            .Accepts<byte[]>(OcspRequestType)
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> CrlAsync(string file, RevocationService revocation, CancellationToken cancellationToken)
    {
        if (!file.EndsWith(".crl", StringComparison.Ordinal))
        {
            return TypedResults.NotFound();
        }

        var crl = await revocation.CurrentCrlAsync(file[..^4], cancellationToken);
        return TypedResults.File(crl, "application/pkix-crl", file);
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> CaCertificateAsync(string file, AuthorityService authorities, CancellationToken cancellationToken)
    {
        if (!file.EndsWith(".crt", StringComparison.Ordinal))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.File(await authorities.CertificateAsync(file[..^4], cancellationToken), "application/pkix-cert", file);
    }

    private static async Task<FileContentHttpResult> OcspGetAsync(string name, string request, RevocationService revocation, CancellationToken cancellationToken)
    {
        byte[] der;
        try
        {
            // The path is URL-decoded already; some clients leave '+' and '/' encoded, some use base64url.
            der = Convert.FromBase64String(Uri.UnescapeDataString(request).Replace('-', '+').Replace('_', '/'));
        }
        catch (FormatException)
        {
            der = [];
        }

        return TypedResults.File(await revocation.AnswerOcspAsync(name, der, cancellationToken), OcspResponseType);
    }

    private static async Task<FileContentHttpResult> OcspPostAsync(string name, HttpRequest http, RevocationService revocation, CancellationToken cancellationToken)
    {
        if (http.ContentLength is > MaxOcspRequestBytes)
        {
            return TypedResults.File(Pki.Ocsp.OcspResponses.Error(Pki.Ocsp.OcspResponseStatus.MalformedRequest), OcspResponseType);
        }

        // The usual case, a Content-Length (requests are a few hundred bytes): read into a pooled buffer, no copies.
        if (http.ContentLength is { } length)
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                var read = await http.Body.ReadAtLeastAsync(buffer.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, cancellationToken);
                return TypedResults.File(await revocation.AnswerOcspAsync(name, buffer.AsMemory(0, read), cancellationToken), OcspResponseType);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        using var body = new MemoryStream();
        var chunk = new byte[8192];
        int count;
        while ((count = await http.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + count > MaxOcspRequestBytes)
            {
                return TypedResults.File(Pki.Ocsp.OcspResponses.Error(Pki.Ocsp.OcspResponseStatus.MalformedRequest), OcspResponseType);
            }

            body.Write(chunk, 0, count);
        }

        return TypedResults.File(await revocation.AnswerOcspAsync(name, body.ToArray(), cancellationToken), OcspResponseType);
    }
}
