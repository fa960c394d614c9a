using System.Text;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certitude.Features.Audit;

/// <summary>/api/v1/audit: list, CSV export, chain verification.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").RequireAuthorization().WithTags("Audit log");
        group.MapGet("/", ListAsync).WithName("ListAuditEntries").WithSummary("Audit entries, newest first, filtered by actor, action, target and time");
        group.MapGet("/export", ExportAsync).WithName("ExportAuditEntries").WithSummary("Every matching audit entry as CSV");
        group.MapPost("/verify", VerifyAsync).WithName("VerifyAuditChain").WithSummary("Recompute the hash chain and report the first broken link");
        return app;
    }

    private static async Task<Ok<AuditPage>> ListAsync(AuditLog audit, AccessScope access, CancellationToken cancellationToken,
        string? actor = null, string? action = null, string? targetType = null, string? targetId = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, long? before = null, int limit = 100) =>
        TypedResults.Ok(await audit.ListAsync(Scoped(access, actor, action, targetType, targetId, from, to), before, limit, cancellationToken));

    private static async Task ExportAsync(HttpContext http, AuditLog audit, AccessScope access, CancellationToken cancellationToken,
        string? actor = null, string? action = null, string? targetType = null, string? targetId = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var query = Scoped(access, actor, action, targetType, targetId, from, to);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"certitude-audit.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
        await writer.WriteLineAsync(AuditCsv.Header);
        await foreach (var entry in audit.StreamAsync(query, cancellationToken))
        {
            await writer.WriteLineAsync(AuditCsv.Row(entry));
        }
    }

    private static async Task<Ok<AuditVerification>> VerifyAsync(AuditLog audit, AccessScope access, CancellationToken cancellationToken)
    {
        if (!access.CanReadAudit(null))
        {
            throw new ForbiddenException("Only organization administrators and auditors verify the whole chain.");
        }

        return TypedResults.Ok(await audit.VerifyAsync(cancellationToken));
    }

    /// <summary>The caller's filters, limited to the divisions whose log they may read.</summary>
    private static AuditQuery Scoped(AccessScope access, string? actor, string? action, string? targetType, string? targetId, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (!access.IsOrganizationAdministrator && access.AuditableDivisions is { Count: 0 })
        {
            throw new ForbiddenException("Only administrators and auditors read the audit log.");
        }

        return new AuditQuery
        {
            Actor = actor, Action = action, TargetType = targetType, TargetId = targetId, From = from, To = to,
            Divisions = access.AuditableDivisions?.ToList(),
        };
    }
}
