using Microsoft.AspNetCore.Http.HttpResults;

namespace Certitude.Features.Organization;

/// <summary>/api/v1/divisions and /api/v1/users.</summary>
public static class OrganizationEndpoints
{
    public static IEndpointRouteBuilder MapDivisionsAndUsers(this IEndpointRouteBuilder app)
    {
        var divisions = app.MapGroup("/api/v1/divisions").RequireAuthorization().WithTags("Divisions");
        divisions.MapGet("/", async (DivisionService service, AccessScope access, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(access, ct)))
            .WithName("ListDivisions").WithSummary("The divisions you hold a role in, with their ancestors");
        divisions.MapGet("/{id:long}", async (long id, DivisionService service, AccessScope access, CancellationToken ct) => TypedResults.Ok(await service.GetAsync(access, id, ct)))
            .WithName("GetDivision").WithSummary("One division with its effective approval policy");
        divisions.MapPost("/", CreateDivisionAsync).WithName("CreateDivision").WithSummary("Create a division under a parent");
        divisions.MapPatch("/{id:long}", async (long id, DivisionInput input, DivisionService service, AccessScope access, CancellationToken ct) =>
            TypedResults.Ok(await service.UpdateAsync(access, id, input, ct)))
            .WithName("UpdateDivision").WithSummary("Change a division's name, contacts, domains, ranges, approval policy or defaults");
        divisions.MapPost("/{id:long}/move", async (long id, MoveDivisionRequest request, DivisionService service, AccessScope access, CancellationToken ct) =>
            TypedResults.Ok(await service.MoveAsync(access, id, request.NewParentId, ct)))
            .WithName("MoveDivision").WithSummary("Move a division and its sub-tree under another parent");
        divisions.MapDelete("/{id:long}", async (long id, DivisionService service, AccessScope access, CancellationToken ct) =>
        {
            await service.DeleteAsync(access, id, ct);
            return TypedResults.NoContent();
        }).WithName("DeleteDivision").WithSummary("Delete an empty division");

        var users = app.MapGroup("/api/v1/users").RequireAuthorization().WithTags("Users");
        users.MapGet("/", async (UserService service, AccessScope access, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(access, ct)))
            .WithName("ListUsers").WithSummary("Users of the divisions you administer, with their roles");
        users.MapGet("/{id}", async (string id, UserService service, AccessScope access, CancellationToken ct) => TypedResults.Ok(await service.GetAsync(access, id, ct)))
            .WithName("GetUser").WithSummary("One user with their roles");
        users.MapPost("/", CreateUserAsync).WithName("CreateUser").WithSummary("Create a user or service account with a first role");
        users.MapPost("/{id}/roles", async (string id, AssignRoleRequest request, UserService service, AccessScope access, CancellationToken ct) =>
            TypedResults.Ok(await service.AssignRoleAsync(access, id, request, ct)))
            .WithName("AssignRole").WithSummary("Grant a role on a division (and its sub-divisions)");
        users.MapDelete("/{id}/roles/{roleId:long}", async (string id, long roleId, UserService service, AccessScope access, CancellationToken ct) =>
        {
            await service.RevokeRoleAsync(access, id, roleId, ct);
            return TypedResults.NoContent();
        }).WithName("RevokeRole").WithSummary("Take a role away");
        users.MapPost("/{id}/reset-password", async (string id, UserService service, AccessScope access, CancellationToken ct) =>
            TypedResults.Ok(new OneTimePassword(await service.ResetPasswordAsync(access, id, ct))))
            .WithName("ResetPassword").WithSummary("Set a one-time password the user must change at next sign-in");
        var invitations = app.MapGroup("/api/v1/invitations").WithTags("Guests");
        invitations.MapGet("/", async (InvitationService service, AccessScope access, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(access, ct)))
            .RequireAuthorization().WithName("ListInvitations").WithSummary("Guest invitations of the divisions you manage");
        invitations.MapPost("/", async (InviteGuestRequest request, InvitationService service, AccessScope access, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(access, request, ct);
            return TypedResults.Created($"/api/v1/invitations/{created.Id}", created);
        }).RequireAuthorization().WithName("InviteGuest").WithSummary("Invite a guest to one division; the answer holds the one-time link");
        invitations.MapDelete("/{id:guid}", async (Guid id, InvitationService service, AccessScope access, CancellationToken ct) =>
        {
            await service.RevokeAsync(access, id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization().WithName("RevokeInvitation").WithSummary("Withdraw an invitation that was not used yet");
        invitations.MapPost("/accept", async (AcceptInvitationRequest request, InvitationService service, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(await service.AcceptAsync(request, http.Connection.RemoteIpAddress?.ToString(), ct)))
            .AllowAnonymous().RequireRateLimiting(OrganizationModule.SignInRateLimit)
            .WithName("AcceptInvitation").WithSummary("Create a guest account from an invitation link's token (no sign-in needed)");
        return app;
    }

    private static async Task<Created<DivisionDto>> CreateDivisionAsync(DivisionInput input, DivisionService service, AccessScope access, CancellationToken ct)
    {
        var created = await service.CreateAsync(access, input, ct);
        return TypedResults.Created($"/api/v1/divisions/{created.Id}", created);
    }

    private static async Task<Created<CreatedUser>> CreateUserAsync(CreateUserRequest request, UserService service, AccessScope access, CancellationToken ct)
    {
        var created = await service.CreateAsync(access, request, ct);
        return TypedResults.Created($"/api/v1/users/{created.User.Id}", created);
    }
}
