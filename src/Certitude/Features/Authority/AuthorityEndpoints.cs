using Certitude.Features.Organization;
using Certitude.Hosting;
using Certitude.Pki.Issuance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certitude.Features.Authority;

public static class AuthorityEndpoints
{
    public static IEndpointRouteBuilder MapAuthority(this IEndpointRouteBuilder app)
    {
        var authorities = app.MapGroup("/api/v1/authorities").WithTags("Certificate authorities").RequireAuthorization();
        authorities.MapGet("/", ListAuthoritiesAsync).WithName("ListAuthorities").WithSummary("Certitude's CAs");
        authorities.MapPost("/", CreateAuthorityAsync).WithName("CreateAuthority")
            .WithSummary("Create a CA: a root, or an intermediate signed by another of Certitude's CAs (organization administrators)");
        authorities.MapPost("/import", ImportAuthorityAsync).WithName("ImportAuthority")
            .WithSummary("Bring an existing CA certificate and private key (PEM) under Certitude (organization administrators)");
        authorities.MapGet("/{name}", GetAuthorityAsync).WithName("GetAuthority").WithSummary("One CA");

        app.MapGroup("/api/v1/profiles").WithTags("Certificate authorities").RequireAuthorization()
            .MapGet("/", ListProfiles).WithName("ListProfiles").WithSummary("Certificate profiles and their rules as of today");

        var requests = app.MapGroup("/api/v1/requests").WithTags("Certificate requests").RequireAuthorization();
        requests.MapGet("/", ListRequestsAsync).WithName("ListRequests")
            .WithSummary("Certificate requests, newest first; approvable=true is the caller's approval queue");
        requests.MapPost("/", SubmitAsync).WithName("SubmitRequest")
            .WithSummary("Request a certificate with a CSR or a server-generated key; issued at once when the division auto-approves");
        requests.MapGet("/approval-times", ApprovalTimesAsync).WithName("ApprovalTimes")
            .WithSummary("Median time from request to decision per division");
        requests.MapGet("/{id:long}", GetRequestAsync).WithName("GetRequest").WithSummary("One request with its history");
        requests.MapPost("/{id:long}/approve", ApproveAsync).WithName("ApproveRequest")
            .WithSummary("Approve (division managers and administrators; not the requester); issues when enough approvals are in");
        requests.MapPost("/{id:long}/reject", RejectAsync).WithName("RejectRequest").WithSummary("Reject with a reason");
        requests.MapGet("/{id:long}/approval-message", ApprovalMessageAsync).WithName("GetApprovalMessage")
            .WithSummary("The caller's approval message for the request, with their signed, expiring one-click link");

        // The one-click link's form: anonymous (the token is the credential), acting as the approver it names.
        app.MapPost(ApprovalLinks.PathPrefix + "{token}", DecideByLinkAsync).AllowAnonymous().WithName("DecideByLink").ExcludeFromDescription();

        var certificates = app.MapGroup("/api/v1/certificates").WithTags("Certificates").RequireAuthorization();
        certificates.MapGet("/{id:long}/download", DownloadAsync).WithName("DownloadCertificate")
            .WithSummary("The certificate as pem, chain, fullchain, der or p7b (PKCS#12: POST .../pfx)");
        certificates.MapPost("/{id:long}/pfx", PfxAsync).WithName("DownloadCertificatePfx")
            .WithSummary("PKCS#12 with the server-generated private key, under the given password; once per authorized user");
        certificates.MapGet("/{id:long}/issuance", IssuanceAsync).WithName("GetCertificateIssuance")
            .WithSummary("CA, serial and revocation status of a certificate Certitude issued");
        certificates.MapPost("/{id:long}/renew", RenewAsync).WithName("RenewCertificate")
            .WithSummary("Request a new certificate for the same names (the old one stays valid until it expires)");
        certificates.MapPost("/{id:long}/reissue", ReissueAsync).WithName("ReissueCertificate")
            .WithSummary("Request the same order with other names or another key (same end date)");
        certificates.MapPost("/{id:long}/revoke", RevokeAsync).WithName("RevokeCertificate")
            .WithSummary("Revoke (RFC 5280 reason); key compromise revokes every certificate of the key");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AuthorityDto>>> ListAuthoritiesAsync(AuthorityService authorities, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await authorities.ListAsync(access, cancellationToken));

    private static async Task<Created<AuthorityDto>> CreateAuthorityAsync(AuthorityInput input, AuthorityService authorities, AccessScope access, CancellationToken cancellationToken)
    {
        var created = await authorities.CreateAsync(access, input, cancellationToken);
        return TypedResults.Created($"/api/v1/authorities/{created.Name}", created);
    }

    private static async Task<Created<AuthorityDto>> ImportAuthorityAsync(AuthorityImportInput input, AuthorityService authorities, AccessScope access, CancellationToken cancellationToken)
    {
        var created = await authorities.ImportAsync(access, input, cancellationToken);
        return TypedResults.Created($"/api/v1/authorities/{created.Name}", created);
    }

    private static async Task<Ok<AuthorityDto>> GetAuthorityAsync(string name, AuthorityService authorities, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await authorities.GetAsync(access, name, cancellationToken));

    private static Ok<IReadOnlyList<ProfileDto>> ListProfiles(AccessScope access, TimeProvider time) =>
        TypedResults.Ok<IReadOnlyList<ProfileDto>>(CertificateProfiles.All.Select(p => ProfileDto.From(p, time.GetUtcNow())).ToList());

    private static async Task<Ok<RequestPage>> ListRequestsAsync(RequestService requests, AccessScope access, CancellationToken cancellationToken,
        RequestState? state = null, long? division = null, bool mine = false, bool approvable = false, string? cursor = null, int limit = 50) =>
        TypedResults.Ok(await requests.ListAsync(access, new RequestQuery(state, division, mine, approvable), cursor, limit, cancellationToken));

    private static async Task<Created<RequestDto>> SubmitAsync(CertificateRequestInput input, RequestService requests, AccessScope access, CancellationToken cancellationToken)
    {
        var request = await requests.SubmitAsync(access, input, cancellationToken);
        return TypedResults.Created($"/api/v1/requests/{request.Id}", request);
    }

    private static async Task<Ok<IReadOnlyList<ApprovalTimes>>> ApprovalTimesAsync(RequestService requests, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await requests.ApprovalTimesAsync(access, cancellationToken));

    private static async Task<Ok<RequestDetails>> GetRequestAsync(long id, RequestService requests, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await requests.GetAsync(access, id, cancellationToken));

    private static async Task<Ok<RequestDto>> ApproveAsync(long id, RequestService requests, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await requests.ApproveAsync(access, id, access.Actor.Kind == "api-key" ? "api" : "ui", cancellationToken));

    private static async Task<Ok<RequestDto>> RejectAsync(long id, RejectInput input, RequestService requests, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await requests.RejectAsync(access, id, input.Reason, cancellationToken));

    private static async Task<Ok<ApprovalMessage>> ApprovalMessageAsync(long id, ApprovalLinks links, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await links.MessageForAsync(access, id, cancellationToken));

    private static async Task<RedirectHttpResult> DecideByLinkAsync(string token, [Microsoft.AspNetCore.Mvc.FromForm] string decision,
        [Microsoft.AspNetCore.Mvc.FromForm] string? reason, ApprovalLinks links, CancellationToken cancellationToken)
    {
        var page = ApprovalLinks.PathPrefix + Uri.EscapeDataString(token);
        try
        {
            var request = await links.DecideAsync(token, decision == "approve", reason, cancellationToken);
            return TypedResults.Redirect($"{page}?done={request.State}");
        }
        catch (Exception e) when (e is DomainValidationException or ForbiddenException or ConflictException or NotFoundException)
        {
            return TypedResults.Redirect($"{page}?error={Uri.EscapeDataString(e.Message)}");
        }
    }

    private static async Task<FileContentHttpResult> DownloadAsync(long id, CertificateActionsService actions, AccessScope access, CancellationToken cancellationToken,
        string? format = null)
    {
        // Parsed here rather than bound as an enum: people type "pem" and "fullchain", and enum binding is case-sensitive.
        if (!Enum.TryParse<CertificateFormat>(format ?? nameof(CertificateFormat.Pem), ignoreCase: true, out var chosen) || !Enum.IsDefined(chosen))
        {
            throw new DomainValidationException("format", "format is one of pem, chain, fullchain, der, p7b (and pfx by POST .../pfx).");
        }

        if (chosen == CertificateFormat.Pfx)
        {
            throw new DomainValidationException("format", "PKCS#12 carries the private key and a password: POST /api/v1/certificates/{id}/pfx with {\"password\": ...}.");
        }

        var file = await actions.DownloadAsync(access, id, chosen, null, cancellationToken);
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    private static async Task<FileContentHttpResult> PfxAsync(long id, PfxInput input, CertificateActionsService actions, AccessScope access, CancellationToken cancellationToken)
    {
        var file = await actions.DownloadAsync(access, id, CertificateFormat.Pfx, input.Password, cancellationToken);
        return TypedResults.File(file.Content, file.ContentType, file.FileName);
    }

    private static async Task<Ok<IssuedCertificateInfo>> IssuanceAsync(long id, CertificateActionsService actions, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await actions.IssuedInfoAsync(access, id, cancellationToken)
            ?? throw new NotFoundException($"Certificate {id} was not issued by one of Certitude's CAs."));

    private static async Task<Created<RequestDto>> RenewAsync(long id, ReplaceCertificateInput input, CertificateActionsService actions, AccessScope access, CancellationToken cancellationToken)
    {
        var request = await actions.RenewAsync(access, id, input, cancellationToken);
        return TypedResults.Created($"/api/v1/requests/{request.Id}", request);
    }

    private static async Task<Created<RequestDto>> ReissueAsync(long id, ReplaceCertificateInput input, CertificateActionsService actions, AccessScope access, CancellationToken cancellationToken)
    {
        var request = await actions.ReissueAsync(access, id, input, cancellationToken);
        return TypedResults.Created($"/api/v1/requests/{request.Id}", request);
    }

    private static async Task<Ok<IssuedCertificateInfo>> RevokeAsync(long id, RevokeInput input, CertificateActionsService actions, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await actions.RevokeAsync(access, id, input.Reason, cancellationToken));
}
