using System.CommandLine;
using Certitude.Cli;

namespace Certitude.Features.Organization.Cli;

/// <summary><c>certitude users reset-password USER</c>: the data folder owner's way back in.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var command = new Command("users", "Manage users (local data folder)");
        var userName = new Argument<string>("user") { Description = "User name" };
        var reset = new Command("reset-password", "Set a new one-time password, print it, and unlock the account") { userName };
        reset.SetAction(async (parse, cancellationToken) =>
        {
            await using var local = await CliTarget.LocalAsync(parse, cancellationToken);
            await using var scope = local.Services.CreateAsyncScope();
            var password = await scope.ServiceProvider.GetRequiredService<AdminBootstrapper>().ResetPasswordAsync(parse.GetRequiredValue(userName));
            Console.Error.WriteLine("New one-time password (to be changed at next sign-in):");
            Console.Out.WriteLine(password);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(reset);
        return command;
    }
}
