using System.CommandLine;
using System.Text.Json;
using Certitude.Cli;
using Certitude.Features.Audit;

namespace Certitude.Features.Organization.Cli;

/// <summary><c>certitude users list|create|grant|revoke|reset-password|invite</c>, locally (as the data folder's
/// owner) or against a server with --server.</summary>
internal static class UsersCommand
{
    private static readonly AccessScope Owner = AccessScope.Unrestricted(Actor.Cli());

    public static Command Create()
    {
        var command = new Command("users", "Manage users, their roles, and guest invitations");

        var list = new Command("list", "List users and their roles") { CommonOptions.Format };
        list.SetAction(async (parse, ct) =>
        {
            var users = await CliTarget.RunAsync<UserService, IReadOnlyList<UserDto>>(parse,
                (service, c) => service.ListAsync(Owner, c), (api, c) => api.GetAsync<IReadOnlyList<UserDto>>("api/v1/users", c), ct);
            if (parse.GetValue(CommonOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(users, Output.Json));
                return ExitCodes.Success;
            }

            foreach (var u in users)
            {
                Console.Out.WriteLine($"{u.UserName,-24} {u.Email,-32} {string.Join("; ", u.Roles.Select(r => $"{r.Role} @ {r.DivisionPath} (#{r.Id})"))}"
                    + (u.AccessExpiresAt is { } end ? $"  until {end.UtcDateTime:u}" : ""));
            }

            return ExitCodes.Success;
        });

        var userName = new Argument<string>("user-name") { Description = "User name" };
        var email = new Option<string?>("--email") { Description = "E-mail address" };
        var division = new Option<long>("--division") { Description = "Division id", Required = true };
        var role = new Option<OrganizationRole>("--role") { Description = "Administrator, Manager, User or Auditor", DefaultValueFactory = _ => OrganizationRole.User };
        var service = new Option<bool>("--service-account") { Description = "A non-human account (API keys only)" };
        var create = new Command("create", "Create a user (prints a one-time password) or a service account") { userName, email, division, role, service, CommonOptions.Format };
        create.SetAction(async (parse, ct) =>
        {
            var request = new CreateUserRequest
            {
                UserName = parse.GetRequiredValue(userName), Email = parse.GetValue(email), DivisionId = parse.GetValue(division),
                Role = parse.GetValue(role), ServiceAccount = parse.GetValue(service),
            };
            var created = await CliTarget.RunAsync<UserService, CreatedUser>(parse, (s, c) => s.CreateAsync(Owner, request, c),
                (api, c) => api.SendAsync<CreatedUser>(new HttpRequestMessage(HttpMethod.Post, "api/v1/users") { Content = JsonContent.Create(request, options: RemoteApi.Json) }, c), ct);
            if (parse.GetValue(CommonOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(created, Output.Json));
            }
            else
            {
                Console.Error.WriteLine($"Created {created.User.UserName} ({created.User.Id}).");
                if (created.OneTimePassword is not null)
                {
                    Console.Error.WriteLine("One-time password (to be changed at first sign-in):");
                    Console.Out.WriteLine(created.OneTimePassword);
                }
            }

            return ExitCodes.Success;
        });

        var userId = new Argument<string>("user-id") { Description = "User id (see 'users list --format json')" };
        var grant = new Command("grant", "Grant a role on a division") { userId, division, role };
        grant.SetAction(async (parse, ct) =>
        {
            var request = new AssignRoleRequest(parse.GetValue(division), parse.GetValue(role));
            var user = await CliTarget.RunAsync<UserService, UserDto>(parse, (s, c) => s.AssignRoleAsync(Owner, parse.GetRequiredValue(userId), request, c),
                (api, c) => api.SendAsync<UserDto>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/users/{Uri.EscapeDataString(parse.GetRequiredValue(userId))}/roles")
                {
                    Content = JsonContent.Create(request, options: RemoteApi.Json),
                }, c), ct);
            Console.Out.WriteLine(string.Join("; ", user.Roles.Select(r => $"{r.Role} @ {r.DivisionPath} (#{r.Id})")));
            return ExitCodes.Success;
        });

        var roleId = new Argument<long>("role-id") { Description = "The role assignment's id (#N in 'users list')" };
        var revoke = new Command("revoke", "Take a role away") { userId, roleId };
        revoke.SetAction(async (parse, ct) =>
        {
            await CliTarget.RunAsync<UserService, bool>(parse,
                async (s, c) => { await s.RevokeRoleAsync(Owner, parse.GetRequiredValue(userId), parse.GetValue(roleId), c); return true; },
                async (api, c) => { await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/users/{Uri.EscapeDataString(parse.GetRequiredValue(userId))}/roles/{parse.GetValue(roleId)}"), c); return true; }, ct);
            Console.Error.WriteLine("Revoked.");
            return ExitCodes.Success;
        });

        var resetName = new Argument<string>("user") { Description = "User name (locally) or user id (with --server)" };
        var reset = new Command("reset-password", "Set a new one-time password, print it, and unlock the account") { resetName };
        reset.SetAction(async (parse, ct) =>
        {
            var password = await CliTarget.RunAsync<AdminBootstrapper, string>(parse,
                (bootstrapper, _) => bootstrapper.ResetPasswordAsync(parse.GetRequiredValue(resetName)),
                async (api, c) => (await api.SendAsync<OneTimePassword>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/users/{Uri.EscapeDataString(parse.GetRequiredValue(resetName))}/reset-password"), c)).Password, ct);
            Console.Error.WriteLine("New one-time password (to be changed at next sign-in):");
            Console.Out.WriteLine(password);
            return ExitCodes.Success;
        });

        var guestEmail = new Argument<string>("email") { Description = "The guest's e-mail address" };
        var days = new Option<int>("--days") { Description = "How long the guest's access lasts", DefaultValueFactory = _ => 7 };
        var invite = new Command("invite", "Invite a guest to one division; prints the one-time link") { guestEmail, division, days };
        invite.SetAction(async (parse, ct) =>
        {
            var request = new InviteGuestRequest { Email = parse.GetRequiredValue(guestEmail), DivisionId = parse.GetValue(division), AccessDays = parse.GetValue(days) };
            var created = await CliTarget.RunAsync<InvitationService, CreatedInvitation>(parse,
                (s, c) => throw new CliException("Invitations are made on a server (--server): a guest's link must name it.", ExitCodes.UsageError),
                async (api, c) =>
                {
                    var created = await api.SendAsync<CreatedInvitation>(new HttpRequestMessage(HttpMethod.Post, "api/v1/invitations") { Content = JsonContent.Create(request, options: RemoteApi.Json) }, c);
                    return created with { Link = new Uri(api.BaseAddress, created.Link).ToString() };
                }, ct);
            Console.Error.WriteLine($"Invitation for {created.Email}, valid until {created.ExpiresAt.UtcDateTime:u}. Send this link:");
            Console.Out.WriteLine(created.Link);
            return ExitCodes.Success;
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(create);
        command.Subcommands.Add(grant);
        command.Subcommands.Add(revoke);
        command.Subcommands.Add(reset);
        command.Subcommands.Add(invite);
        return command;
    }
}
