using System.CommandLine;
using System.Text.Json;
using Certitude.Cli;
using Certitude.Hosting;
using Microsoft.AspNetCore.Identity;
using Spectre.Console;

namespace Certitude.Features.Organization.Cli;

/// <summary><c>certitude apikeys create|list|revoke</c> on the local data folder, as its owner.</summary>
internal static class ApiKeysCommand
{
    public static Command Create()
    {
        var command = new Command("apikeys", "Manage API keys (local data folder)");
        var user = new Option<string>("--user") { Description = "Whose key", DefaultValueFactory = _ => AdminBootstrapper.AdminUserName };

        var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
        var days = new Option<int?>("--expires-in-days") { Description = "Days until it stops working (default: never)" };
        var readOnly = new Option<bool>("--read-only") { Description = "The key may only read" };
        var divisions = new Option<long[]>("--division") { Description = "Narrow the key to this division id (repeat for several)" };
        var create = new Command("create", "Create an API key and print it once") { name, days, readOnly, divisions, user, CommonOptions.Format };
        create.SetAction(async (parse, cancellationToken) =>
        {
            await using var local = await CliTarget.LocalAsync(parse, cancellationToken);
            var userId = await UserIdAsync(local, parse.GetRequiredValue(user));
            var created = await local.Services.GetRequiredService<ApiKeyService>()
                .CreateAsync(userId, new CreateApiKeyRequest
                {
                    Name = parse.GetRequiredValue(name), ExpiresInDays = parse.GetValue(days), ReadOnly = parse.GetValue(readOnly), Divisions = parse.GetValue(divisions),
                }, Audit.Actor.Cli(), cancellationToken);
            if (parse.GetValue(CommonOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(created, Output.Json));
            }
            else
            {
                Console.Error.WriteLine($"Created API key '{created.Name}' ({created.Id}). It is shown only now:");
                Console.Out.WriteLine(created.Key);
            }

            return ExitCodes.Success;
        });

        var list = new Command("list", "List API keys") { user, CommonOptions.Format };
        list.SetAction(async (parse, cancellationToken) =>
        {
            await using var local = await CliTarget.LocalAsync(parse, cancellationToken);
            var keys = await local.Services.GetRequiredService<ApiKeyService>().ListAsync(await UserIdAsync(local, parse.GetRequiredValue(user)), cancellationToken);
            if (parse.GetValue(CommonOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(keys, Output.Json));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("ID", "Name", "Created", "Expires", "Revoked", "Last used");
            foreach (var k in keys)
            {
                table.AddRow(k.Id.ToString(), Markup.Escape(k.Name), k.CreatedAt.UtcDateTime.ToString("u"), k.ExpiresAt?.UtcDateTime.ToString("u") ?? "never",
                    k.RevokedAt?.UtcDateTime.ToString("u") ?? "", k.LastUsedAt is null ? "never" : $"{k.LastUsedAt.Value.UtcDateTime:u} from {k.LastUsedFrom}");
            }

            Output.Stdout.Write(table);
            return ExitCodes.Success;
        });

        var id = new Argument<Guid>("id") { Description = "The key's id" };
        var revoke = new Command("revoke", "Revoke an API key at once") { id, user };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            await using var local = await CliTarget.LocalAsync(parse, cancellationToken);
            await local.Services.GetRequiredService<ApiKeyService>().RevokeAsync(await UserIdAsync(local, parse.GetRequiredValue(user)), parse.GetRequiredValue(id), Audit.Actor.Cli(), cancellationToken);
            Console.Error.WriteLine("Revoked.");
            return ExitCodes.Success;
        });

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        return command;
    }

    internal static async Task<string> UserIdAsync(LocalServices local, string userName)
    {
        await using var scope = local.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CertitudeUser>>();
        var user = await users.FindByNameAsync(userName);
        if (user is null && userName == AdminBootstrapper.AdminUserName)
        {
            // A data folder that has never served: create the administrator now, as 'serve' would.
            var password = await scope.ServiceProvider.GetRequiredService<AdminBootstrapper>().EnsureAdministratorAsync();
            if (password is not null)
            {
                Console.Error.WriteLine($"Created the administrator account '{AdminBootstrapper.AdminUserName}' with one-time password: {password}");
            }

            user = await users.FindByNameAsync(userName);
        }

        return user?.Id ?? throw new NotFoundException($"No user '{userName}'.");
    }
}
