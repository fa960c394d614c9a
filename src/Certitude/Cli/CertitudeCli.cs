using System.CommandLine;
using Certitude.Features.Audit.Cli;
using Certitude.Features.Authority.Cli;
using Certitude.Features.Discovery.Cli;
using Certitude.Features.Inventory.Cli;
using Certitude.Features.Organization.Cli;
using Certitude.Hosting;

namespace Certitude.Cli;

/// <summary>The command line: <c>serve</c> and the tool's verbs. Errors become one line on stderr and an exit code.</summary>
public static class CertitudeCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Certitude: certificate inventory, managed PKI and discovery")
        {
            CommonOptions.Data, CommonOptions.Database, CommonOptions.Server, CommonOptions.ApiKey,
        };
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(CertsCommand.Create());
        root.Subcommands.Add(ApiKeysCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(DivisionsCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(Features.Organization.Sso.SsoCommand.Create());
        root.Subcommands.Add(CaCommand.Create());
        root.Subcommands.Add(RequestCommand.Create());
        root.Subcommands.Add(CertCommand.Create());
        root.Subcommands.Add(ScanCommand.Create());

        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            Output.Error(e.Message);
            return e.ExitCode;
        }
        catch (NotFoundException e)
        {
            Output.Error(e.Message);
            return ExitCodes.NotFound;
        }
        catch (DomainValidationException e)
        {
            Output.Error(e.Message);
            return ExitCodes.UsageError;
        }
        catch (ForbiddenException e)
        {
            Output.Error(e.Message);
            return ExitCodes.Unavailable;
        }
        catch (ConflictException e)
        {
            Output.Error(e.Message);
            return ExitCodes.PartialFailure;
        }
        catch (OperationCanceledException)
        {
            Output.Error("cancelled");
            return ExitCodes.PartialFailure;
        }
    }
}
