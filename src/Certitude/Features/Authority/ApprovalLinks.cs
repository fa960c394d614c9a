using System.Globalization;
using System.Security.Cryptography;
using Certitude.Data;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Authority;

/// <summary>
/// The one-click approval link of an approval message: a token naming the request and one approver, signed and
/// encrypted with the server's data-protection keys and expiring after <see cref="AuthorityOptions.ApprovalLinkHours"/>.
/// Holding it lets that approver decide that request without signing in, so each approver gets only their own.
/// Opening the link shows the request with Approve and Reject buttons; only the button acts (mail scanners
/// that fetch links approve nothing).
/// </summary>
public sealed class ApprovalLinks(
    IDbContextFactory<CertitudeDbContext> contexts,
    IDataProtectionProvider protection,
    RequestService requests,
    AccessService access,
    AuthorityUrls urls,
    IOptions<AuthorityOptions> options,
    TimeProvider time)
{
    public const string PathPrefix = "/approve/";

    private readonly ITimeLimitedDataProtector _tokens = protection.CreateProtector("certitude.approval-link").ToTimeLimitedDataProtector();

    /// <summary>The caller's own approval message for a request they may approve.</summary>
    public async Task<ApprovalMessage> MessageForAsync(AccessScope scope, long requestId, CancellationToken cancellationToken)
    {
        var details = await requests.GetAsync(scope, requestId, cancellationToken);
        if (!details.CanApprove || scope.UserId is null)
        {
            throw new ConflictException("There is nothing for you to approve in this request.");
        }

        return Message(details.Request, scope.UserId, scope.Email ?? scope.Actor.Name);
    }

    /// <summary>One message per person who may approve the request (managers and administrators of its division or
    /// above, not the requester): what the notification service sends.</summary>
    public async Task<IReadOnlyList<ApprovalMessage>> MessagesForApproversAsync(long requestId, CancellationToken cancellationToken)
    {
        var request = await requests.GetAsync(AccessScope.Unrestricted(Audit.Actor.System), requestId, cancellationToken);
        if (request.Request.State != RequestState.Pending)
        {
            return [];
        }

        var tree = await access.TreeAsync(cancellationToken);
        var divisions = tree.PathToRoot(request.Request.DivisionId).Select(d => d.Id).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var approvers = await db.RoleAssignments.AsNoTracking()
            .Where(r => divisions.Contains(r.DivisionId) && (r.Role == OrganizationRole.Manager || r.Role == OrganizationRole.Administrator))
            .Join(db.Users, r => r.UserId, u => u.Id, (r, u) => new { u.Id, u.UserName, u.Email, u.AccessExpiresAt, u.IsServiceAccount })
            .Distinct()
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var already = request.Request.Approvals.Select(a => a.UserName).ToHashSet(StringComparer.Ordinal);
        return approvers
            .Where(a => !a.IsServiceAccount && !(a.AccessExpiresAt <= now) && a.UserName != request.Request.RequesterName && !already.Contains(a.UserName ?? ""))
            .OrderBy(a => a.UserName, StringComparer.Ordinal)
            .Select(a => Message(request.Request, a.Id, a.Email ?? a.UserName ?? a.Id))
            .ToList();
    }

    /// <summary>The request a link is for, as its approver may see it; null when the link is not valid (any more).</summary>
    public async Task<(RequestDetails Request, AccessScope Approver)?> OpenAsync(string token, CancellationToken cancellationToken)
    {
        if (Read(token) is not { } link || await access.ForUserAsync(link.UserId, null, null, cancellationToken) is not { } scope)
        {
            return null;
        }

        try
        {
            return (await requests.GetAsync(scope, link.RequestId, cancellationToken), scope);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>Approves or rejects as the link's approver (with their current rights: a revoked role ends the link too).</summary>
    public async Task<RequestDto> DecideAsync(string token, bool approve, string? reason, CancellationToken cancellationToken)
    {
        if (await OpenAsync(token, cancellationToken) is not { } opened)
        {
            throw new DomainValidationException("token", "This approval link is not valid: it has expired or was altered. Open the request in Certitude instead.");
        }

        var id = opened.Request.Request.Id;
        return approve
            ? await requests.ApproveAsync(opened.Approver, id, "link", cancellationToken)
            : await requests.RejectAsync(opened.Approver, id, reason ?? "", cancellationToken);
    }

    private ApprovalMessage Message(RequestDto request, string userId, string to)
    {
        var lifetime = TimeSpan.FromHours(options.Value.ApprovalLinkHours);
        var expires = time.GetUtcNow() + lifetime;
        var token = _tokens.Protect($"{request.Id.ToString(CultureInfo.InvariantCulture)}:{userId}", lifetime);
        var link = $"{urls.Base}{PathPrefix}{token}";
        var names = string.Join(", ", request.Names);
        var subject = $"Certificate request {request.Id} waits for your approval: {request.CommonName}";
        var body = $"""
            {request.RequesterName} asks for a certificate in {request.Division}.

              Names:     {names}
              Profile:   {request.Profile}, {request.ValidityDays} days, CA {request.Authority}
              Key:       {request.KeyDescription}
              Kind:      {request.Kind}
              Comments:  {request.Comments}

            Approve or reject it here (the link works until {expires:yyyy-MM-dd HH:mm} UTC, for you only):
            {link}
            """;
        return new ApprovalMessage(to, subject, body, link, expires);
    }

    private sealed record Link(long RequestId, string UserId);

    private Link? Read(string token)
    {
        try
        {
            var parts = _tokens.Unprotect(token).Split(':', 2);
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? new Link(id, parts[1]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
