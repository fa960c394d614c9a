using System.CommandLine;
using System.Text.Json;
using Certitude.Cli;

namespace Certitude.Features.Audit.Cli;

/// <summary><c>certitude audit verify|list</c> on the local data folder, or a remote server with --server.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var command = new Command("audit", "Read and verify the tamper-evident audit log");

        var verify = new Command("verify", "Recompute the hash chain; exit 1 and name the first broken link when it does not hold") { CommonOptions.Format };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            AuditVerification result;
            if (CliTarget.Remote(parse) is { } remote)
            {
                using (remote)
                {
                    result = await remote.SendAsync<AuditVerification>(new HttpRequestMessage(HttpMethod.Post, "api/v1/audit/verify"), cancellationToken);
                }
            }
            else
            {
                await using var local = await CliTarget.LocalAsync(parse, cancellationToken);
                result = await local.Services.GetRequiredService<AuditLog>().VerifyAsync(cancellationToken);
            }

            if (parse.GetValue(CommonOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(result, Output.Json));
            }
            else if (result.Intact)
            {
                Console.Out.WriteLine($"Audit chain intact: {result.VerifiedEntries} entries. Head hash: {result.HeadHash}");
            }
            else
            {
                Console.Out.WriteLine($"Audit chain BROKEN at entry {result.BrokenSequence} (row id {result.BrokenEntryId}): {result.Problem}. " +
                    $"{result.VerifiedEntries} entries before it verify.");
            }

            return result.Intact ? ExitCodes.Success : ExitCodes.PartialFailure;
        });

        var limit = new Option<int>("--limit") { Description = "At most this many entries, newest first", DefaultValueFactory = _ => 50 };
        var action = new Option<string?>("--action") { Description = "Action or prefix, e.g. certificate. or division.move" };
        var actor = new Option<string?>("--actor") { Description = "Actor name or id" };
        var list = new Command("list", "List audit entries, newest first") { limit, action, actor, CommonOptions.Format };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var query = new AuditQuery { Action = parse.GetValue(action), Actor = parse.GetValue(actor) };
            AuditPage page;
            if (CliTarget.Remote(parse) is { } remote)
            {
                using (remote)
                {
                    var url = $"api/v1/audit?limit={parse.GetValue(limit)}"
                        + (query.Action is null ? "" : "&action=" + Uri.EscapeDataString(query.Action))
                        + (query.Actor is null ? "" : "&actor=" + Uri.EscapeDataString(query.Actor));
                    page = await remote.GetAsync<AuditPage>(url, cancellationToken);
                }
            }
            else
            {
                await using var local = await CliTarget.LocalAsync(parse, cancellationToken);
                page = await local.Services.GetRequiredService<AuditLog>().ListAsync(query, null, parse.GetValue(limit), cancellationToken);
            }

            switch (parse.GetValue(CommonOptions.Format))
            {
                case OutputFormat.Json:
                    Console.Out.WriteLine(JsonSerializer.Serialize(page.Items, Output.Json));
                    break;
                case OutputFormat.Csv:
                    Console.Out.WriteLine(AuditCsv.Header);
                    foreach (var entry in page.Items)
                    {
                        Console.Out.WriteLine(AuditCsv.Row(entry));
                    }

                    break;
                default:
                    foreach (var e in page.Items)
                    {
                        Console.Out.WriteLine($"{e.Sequence,6} {e.OccurredAt.UtcDateTime:u} {e.ActorName,-24} {e.Action,-24} {e.TargetType}:{e.TargetId} {e.Details}");
                    }

                    break;
            }

            return ExitCodes.Success;
        });

        command.Subcommands.Add(verify);
        command.Subcommands.Add(list);
        return command;
    }
}
