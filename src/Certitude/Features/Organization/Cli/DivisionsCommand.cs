using System.CommandLine;
using System.Text.Json;
using Certitude.Cli;
using Certitude.Features.Audit;

namespace Certitude.Features.Organization.Cli;

/// <summary><c>certitude divisions list|create|move|delete</c>, locally or against a server with --server.</summary>
internal static class DivisionsCommand
{
    private static readonly AccessScope Owner = AccessScope.Unrestricted(Actor.Cli());

    public static Command Create()
    {
        var command = new Command("divisions", "Manage the division tree");

        var list = new Command("list", "List divisions") { CommonOptions.Format };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var divisions = await RunAsync(parse,
                (service, ct) => service.ListAsync(Owner, ct),
                (api, ct) => api.GetAsync<IReadOnlyList<DivisionDto>>("api/v1/divisions", ct), cancellationToken);
            if (parse.GetValue(CommonOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(divisions, Output.Json));
            }
            else
            {
                foreach (var d in divisions)
                {
                    Console.Out.WriteLine($"{d.Id,6}  {d.Path}  [{d.EffectiveApprovalPolicy}]{(d.Domains.Count > 0 ? "  " + string.Join(", ", d.Domains) : "")}");
                }
            }

            return ExitCodes.Success;
        });

        var name = new Argument<string>("name") { Description = "Name of the new division" };
        var parent = new Option<long>("--parent") { Description = "Parent division id", Required = true };
        var domains = new Option<string[]>("--domain") { Description = "A domain the division owns (repeat for several)" };
        var ranges = new Option<string[]>("--ip-range") { Description = "An IP range (CIDR) it covers (repeat for several)" };
        var policy = new Option<ApprovalPolicy?>("--approval") { Description = "AutoApprove, OneApprover or TwoApprovers (default: inherited)" };
        var create = new Command("create", "Create a division") { name, parent, domains, ranges, policy, CommonOptions.Format };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var input = new DivisionInput
            {
                ParentId = parse.GetValue(parent), Name = parse.GetRequiredValue(name), Domains = parse.GetValue(domains),
                IpRanges = parse.GetValue(ranges), ApprovalPolicy = parse.GetValue(policy),
            };
            var created = await RunAsync(parse,
                (service, ct) => service.CreateAsync(Owner, input, ct),
                (api, ct) => api.SendAsync<DivisionDto>(new HttpRequestMessage(HttpMethod.Post, "api/v1/divisions") { Content = JsonContent.Create(input, options: RemoteApi.Json) }, ct), cancellationToken);
            Console.Out.WriteLine(parse.GetValue(CommonOptions.Format) == OutputFormat.Json ? JsonSerializer.Serialize(created, Output.Json) : $"{created.Id}  {created.Path}");
            return ExitCodes.Success;
        });

        var id = new Argument<long>("id") { Description = "Division id" };
        var to = new Option<long>("--to") { Description = "New parent division id", Required = true };
        var move = new Command("move", "Move a division (and its sub-tree) under another parent") { id, to };
        move.SetAction(async (parse, cancellationToken) =>
        {
            var moved = await RunAsync(parse,
                (service, ct) => service.MoveAsync(Owner, parse.GetValue(id), parse.GetValue(to), ct),
                (api, ct) => api.SendAsync<DivisionDto>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/divisions/{parse.GetValue(id)}/move")
                {
                    Content = JsonContent.Create(new MoveDivisionRequest(parse.GetValue(to)), options: RemoteApi.Json),
                }, ct), cancellationToken);
            Console.Out.WriteLine($"{moved.Id}  {moved.Path}");
            return ExitCodes.Success;
        });

        var delete = new Command("delete", "Delete an empty division") { id };
        delete.SetAction(async (parse, cancellationToken) =>
        {
            await RunAsync(parse,
                async (service, ct) => { await service.DeleteAsync(Owner, parse.GetValue(id), ct); return true; },
                async (api, ct) => { await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"api/v1/divisions/{parse.GetValue(id)}"), ct); return true; }, cancellationToken);
            Console.Error.WriteLine("Deleted.");
            return ExitCodes.Success;
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(create);
        command.Subcommands.Add(move);
        command.Subcommands.Add(delete);
        return command;
    }

    private static Task<T> RunAsync<T>(ParseResult parse,
        Func<DivisionService, CancellationToken, Task<T>> local, Func<RemoteApi, CancellationToken, Task<T>> remote, CancellationToken cancellationToken) =>
        CliTarget.RunAsync(parse, local, remote, cancellationToken);
}
