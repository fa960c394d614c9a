using System.CommandLine;
using Certitude.Cli;

namespace Certitude.Hosting;

/// <summary><c>certitude serve [--urls URLS]</c></summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';'",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CERTITUDE_URLS") ?? ServerSettings.DefaultUrls,
        };
        var command = new Command("serve", "Run the Certitude server (web UI, REST API)") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new ServerSettings(CliTarget.Storage(parse), parse.GetRequiredValue(urls));
            await using var app = ServerHost.Build(settings);
            var password = await ServerHost.PrepareAsync(app.Services, cancellationToken);
            if (password is not null)
            {
                // Printed once, to the console only (never the log): the administrator changes it at first sign-in.
                Console.Out.WriteLine();
                Console.Out.WriteLine("  First run: created the administrator account.");
                Console.Out.WriteLine($"    user name: {Features.Organization.AdminBootstrapper.AdminUserName}");
                Console.Out.WriteLine($"    password:  {password}");
                Console.Out.WriteLine("  This password is shown only now; you will choose a new one at first sign-in.");
                Console.Out.WriteLine();
            }

            try
            {
                await app.RunAsync(cancellationToken);
            }
            catch (IOException e)
            {
                throw new CliException($"Cannot listen on {settings.Urls}: {e.Message}", ExitCodes.Unavailable);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
