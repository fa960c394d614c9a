using System.CommandLine;
using System.Text.Json;
using Certitude.Cli;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.Pki.Signing;

namespace Certitude.Features.Authority.Cli;

/// <summary><c>certitude request new|list|show|approve|reject</c>, locally or against a server with --server.</summary>
internal static class RequestCommand
{
    private static readonly AccessScope Owner = AccessScope.Unrestricted(Actor.Cli());

    public static Command Create()
    {
        var command = new Command("request", "Certificate requests: submit, approve, reject");

        var csr = new Option<FileInfo?>("--csr") { Description = "A PKCS#10 CSR file (PEM or DER), e.g. from openssl req" };
        var generate = new Option<SigningKeyType?>("--generate-key") { Description = "Have the server make the key: EcP256, EcP384, Rsa2048, Rsa3072, Rsa4096" };
        var dns = new Option<string[]>("--dns") { Description = "A DNS name (repeat for several; added to the CSR's)" };
        var ip = new Option<string[]>("--ip") { Description = "An IP address (repeat for several)" };
        var division = new Option<long?>("--division") { Description = "Division id (default: your own)" };
        var profile = new Option<string?>("--profile") { Description = "tls-server, tls-client or public-tls-server (default: the division's)" };
        var days = new Option<int?>("--days") { Description = "Validity in days (default: the profile's; capped by its rules)" };
        var owner = new Option<string?>("--owner") { Description = "Who owns the certificate (default: you)" };
        var comment = new Option<string?>("--comment") { Description = "A note for the approver" };
        var create = new Command("new", "Request a certificate") { csr, generate, dns, ip, division, profile, days, owner, comment, CommonOptions.Format };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var input = new CertificateRequestInput
            {
                Csr = parse.GetValue(csr) is { } file ? await ReadCsrAsync(file, cancellationToken) : null,
                GenerateKey = parse.GetValue(generate),
                DnsNames = parse.GetValue(dns),
                IpAddresses = parse.GetValue(ip),
                DivisionId = parse.GetValue(division),
                Profile = parse.GetValue(profile),
                ValidityDays = parse.GetValue(days),
                Owner = parse.GetValue(owner),
                Comments = parse.GetValue(comment),
            };
            var request = await CliTarget.RunAsync<RequestService, RequestDto>(parse,
                (service, ct) => service.SubmitAsync(Owner, input, ct),
                (api, ct) => api.PostAsync<RequestDto>("api/v1/requests", JsonContent.Create(input, options: RemoteApi.Json), ct), cancellationToken);
            Print(parse, [request]);
            return request.State == RequestState.Failed ? ExitCodes.PartialFailure : ExitCodes.Success;
        });

        var state = new Option<RequestState?>("--state") { Description = "Pending, Approved, Rejected, Issued or Failed" };
        var queue = new Option<bool>("--queue") { Description = "Only requests waiting for your approval" };
        var mine = new Option<bool>("--mine") { Description = "Only your own requests" };
        var limit = new Option<int>("--limit") { Description = "At most this many (newest first)", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List requests, newest first") { state, queue, mine, division, limit, CommonOptions.Format };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var query = new RequestQuery(parse.GetValue(state), parse.GetValue(division), parse.GetValue(mine), parse.GetValue(queue));
            var count = parse.GetValue(limit);
            var page = await CliTarget.RunAsync<RequestService, RequestPage>(parse,
                (service, ct) => service.ListAsync(Owner, query, null, count, ct),
                (api, ct) => api.GetAsync<RequestPage>(
                    $"api/v1/requests?limit={count}&mine={query.Mine}&approvable={query.Approvable}{(query.State is { } s ? $"&state={s}" : "")}{(query.DivisionId is { } d ? $"&division={d}" : "")}", ct),
                cancellationToken);
            Print(parse, page.Items, list: true);
            return ExitCodes.Success;
        });

        var id = new Argument<long>("id") { Description = "Request id" };
        var show = new Command("show", "One request with its history") { id, CommonOptions.Format };
        show.SetAction(async (parse, cancellationToken) =>
        {
            var details = await CliTarget.RunAsync<RequestService, RequestDetails>(parse,
                (service, ct) => service.GetAsync(Owner, parse.GetValue(id), ct),
                (api, ct) => api.GetAsync<RequestDetails>($"api/v1/requests/{parse.GetValue(id)}", ct), cancellationToken);
            if (parse.GetValue(CommonOptions.Format) == OutputFormat.Json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(details, Output.Json));
                return ExitCodes.Success;
            }

            var r = details.Request;
            Console.Out.WriteLine($"request {r.Id}: {r.Kind} {r.State}");
            Console.Out.WriteLine($"  division   {r.Division}");
            Console.Out.WriteLine($"  CA         {r.Authority}, profile {r.Profile}, {r.ValidityDays} days{(r.NotAfter is { } end ? $" (until {end:yyyy-MM-dd})" : "")}");
            Console.Out.WriteLine($"  names      {string.Join(", ", r.Names)}");
            Console.Out.WriteLine($"  key        {r.KeyDescription}{(r.ServerGeneratedKey ? " (generated by the server)" : "")}");
            Console.Out.WriteLine($"  requester  {r.RequesterName}, owner {r.Owner}");
            Console.Out.WriteLine($"  approvals  {r.Approvals.Count}/{r.RequiredApprovals}{string.Concat(r.Approvals.Select(a => $"  {a.UserName} ({a.Channel})"))}");
            if (r.RejectionReason is not null)
            {
                Console.Out.WriteLine($"  rejected   {r.RejectionReason}");
            }

            if (r.FailureReason is not null)
            {
                Console.Out.WriteLine($"  failed     {r.FailureReason}");
            }

            if (r.CertificateId is { } certificate)
            {
                Console.Out.WriteLine($"  certificate {certificate}  (certitude cert download {certificate})");
            }

            Console.Out.WriteLine("history:");
            foreach (var h in details.History)
            {
                Console.Out.WriteLine($"  {h.At:yyyy-MM-dd HH:mm:ss}  {h.Action,-16} {h.Actor}");
            }

            return ExitCodes.Success;
        });

        var approve = new Command("approve", "Approve a request (issues it when enough approvals are in)") { id, CommonOptions.Format };
        approve.SetAction(async (parse, cancellationToken) =>
        {
            var request = await CliTarget.RunAsync<RequestService, RequestDto>(parse,
                (service, ct) => service.ApproveAsync(Owner, parse.GetValue(id), "cli", ct),
                (api, ct) => api.SendAsync<RequestDto>(new HttpRequestMessage(HttpMethod.Post, $"api/v1/requests/{parse.GetValue(id)}/approve"), ct), cancellationToken);
            Print(parse, [request]);
            return request.State == RequestState.Failed ? ExitCodes.PartialFailure : ExitCodes.Success;
        });

        var reason = new Option<string>("--reason") { Description = "Why (the requester reads it)", Required = true };
        var reject = new Command("reject", "Reject a request") { id, reason, CommonOptions.Format };
        reject.SetAction(async (parse, cancellationToken) =>
        {
            var input = new RejectInput { Reason = parse.GetRequiredValue(reason) };
            var request = await CliTarget.RunAsync<RequestService, RequestDto>(parse,
                (service, ct) => service.RejectAsync(Owner, parse.GetValue(id), input.Reason, ct),
                (api, ct) => api.PostAsync<RequestDto>($"api/v1/requests/{parse.GetValue(id)}/reject", JsonContent.Create(input, options: RemoteApi.Json), ct), cancellationToken);
            Print(parse, [request]);
            return ExitCodes.Success;
        });

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(approve);
        command.Subcommands.Add(reject);
        return command;
    }

    /// <summary>A CSR file as text: PEM as is, DER as base64 (the API takes either).</summary>
    internal static async Task<string> ReadCsrAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new CliException($"{file.FullName}: no such file", ExitCodes.UsageError);
        }

        if (file.Length > AuthorityLimits.MaxCsrBytes)
        {
            throw new CliException($"{file.FullName}: larger than {AuthorityLimits.MaxCsrBytes / 1024} KiB; not a CSR", ExitCodes.UsageError);
        }

        var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN", StringComparison.Ordinal) ? text : Convert.ToBase64String(bytes);
    }

    /// <summary>One request (new, approve, renew...) prints as a JSON object; a list is always a JSON array, whatever its length.</summary>
    internal static void Print(ParseResult parse, IReadOnlyList<RequestDto> requests, bool list = false)
    {
        switch (parse.GetValue(CommonOptions.Format))
        {
            case OutputFormat.Json:
                Console.Out.WriteLine(JsonSerializer.Serialize(requests.Count == 1 && !list ? requests[0] : (object)requests, Output.Json));
                break;
            case OutputFormat.Csv:
                Console.Out.WriteLine(Output.CsvRow("id", "state", "kind", "division", "authority", "profile", "names", "requester", "created_at", "certificate_id"));
                foreach (var r in requests)
                {
                    Console.Out.WriteLine(Output.CsvRow(r.Id, r.State, r.Kind, r.Division, r.Authority, r.Profile, string.Join(" ", r.Names), r.RequesterName, r.CreatedAt, r.CertificateId));
                }

                break;
            default:
                foreach (var r in requests)
                {
                    var outcome = r.State switch
                    {
                        RequestState.Issued => $"certificate {r.CertificateId}",
                        RequestState.Pending => $"{r.Approvals.Count}/{r.RequiredApprovals} approvals",
                        RequestState.Rejected => $"rejected: {r.RejectionReason}",
                        RequestState.Failed => $"failed: {r.FailureReason}",
                        _ => "",
                    };
                    Console.Out.WriteLine($"{r.Id,6}  {r.State,-8} {r.Kind,-8} {r.CreatedAt:yyyy-MM-dd}  {r.RequesterName,-16} {string.Join(",", r.Names),-40} {outcome}");
                }

                break;
        }
    }
}
