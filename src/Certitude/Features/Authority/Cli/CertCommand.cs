using System.CommandLine;
using System.Text.Json;
using Certitude.Cli;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.Pki.Signing;

namespace Certitude.Features.Authority.Cli;

/// <summary><c>certitude cert download|renew|reissue|revoke</c>: actions on one certificate, locally or with --server.</summary>
internal static class CertCommand
{
    private static readonly AccessScope Owner = AccessScope.Unrestricted(Actor.Cli());

    public static Command Create()
    {
        var command = new Command("cert", "Download, renew, reissue or revoke a certificate");
        var id = new Argument<long>("id") { Description = "Certificate id (as certs list shows it)" };

        var format = new Option<CertificateFormat>("--format") { Description = "pem, chain, fullchain, der, p7b or pfx", DefaultValueFactory = _ => CertificateFormat.Pem };
        var password = new Option<string?>("--password") { Description = "PKCS#12 password (pfx); or set CERTITUDE_PFX_PASSWORD" };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write to this file (default: the standard output)" };
        var download = new Command("download", "Download a certificate") { id, format, password, output };
        download.SetAction(async (parse, cancellationToken) =>
        {
            var chosen = parse.GetValue(format);
            var secret = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("CERTITUDE_PFX_PASSWORD");
            var certificateId = parse.GetValue(id);
            var bytes = await CliTarget.RunAsync<CertificateActionsService, byte[]>(parse,
                async (service, ct) => (await service.DownloadAsync(Owner, certificateId, chosen, secret, ct)).Content,
                (api, ct) => api.SendForBytesAsync(chosen == CertificateFormat.Pfx
                    ? new HttpRequestMessage(HttpMethod.Post, $"api/v1/certificates/{certificateId}/pfx") { Content = JsonContent.Create(new { password = secret }, options: RemoteApi.Json) }
                    : new HttpRequestMessage(HttpMethod.Get, $"api/v1/certificates/{certificateId}/download?format={chosen}"), ct),
                cancellationToken);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllBytesAsync(file.FullName, bytes, cancellationToken);
                Console.Error.WriteLine($"Wrote {file.FullName} ({bytes.Length} bytes).");
            }
            else
            {
                using var stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(bytes, cancellationToken);
            }

            return ExitCodes.Success;
        });

        var csr = new Option<FileInfo?>("--csr") { Description = "A new CSR (a new key)" };
        var generate = new Option<SigningKeyType?>("--generate-key") { Description = "A new server-generated key: EcP256, EcP384, Rsa2048, Rsa3072, Rsa4096" };
        var days = new Option<int?>("--days") { Description = "Validity of the renewed certificate in days" };
        var comment = new Option<string?>("--comment") { Description = "A note for the approver" };
        var renew = new Command("renew", "Request a new certificate for the same names (the old one stays valid until it expires)") { id, csr, generate, days, comment, CommonOptions.Format };
        renew.SetAction(async (parse, cancellationToken) =>
        {
            var input = new ReplaceCertificateInput
            {
                Csr = parse.GetValue(csr) is { } file ? await RequestCommand.ReadCsrAsync(file, cancellationToken) : null,
                GenerateKey = parse.GetValue(generate), ValidityDays = parse.GetValue(days), Comments = parse.GetValue(comment),
            };
            return await ReplaceAsync(parse, "renew", input, (service, ct) => service.RenewAsync(Owner, parse.GetValue(id), input, ct), cancellationToken);
        });

        var dns = new Option<string[]>("--dns") { Description = "The new DNS names (repeat; default: unchanged)" };
        var ip = new Option<string[]>("--ip") { Description = "The new IP addresses (repeat)" };
        var reissue = new Command("reissue", "Reissue with other names or another key (keeps the end date)") { id, dns, ip, csr, generate, comment, CommonOptions.Format };
        reissue.SetAction(async (parse, cancellationToken) =>
        {
            var newDns = parse.GetValue(dns);
            var newIp = parse.GetValue(ip);
            var changesNames = newDns is { Length: > 0 } || newIp is { Length: > 0 };
            var input = new ReplaceCertificateInput
            {
                Csr = parse.GetValue(csr) is { } file ? await RequestCommand.ReadCsrAsync(file, cancellationToken) : null,
                GenerateKey = parse.GetValue(generate),
                DnsNames = changesNames ? newDns ?? [] : null,
                IpAddresses = changesNames ? newIp ?? [] : null,
                Comments = parse.GetValue(comment),
            };
            return await ReplaceAsync(parse, "reissue", input, (service, ct) => service.ReissueAsync(Owner, parse.GetValue(id), input, ct), cancellationToken);
        });

        var reason = new Option<RevocationReason>("--reason")
        {
            Description = "Unspecified, KeyCompromise, CaCompromise, AffiliationChanged, Superseded, CessationOfOperation or PrivilegeWithdrawn",
            DefaultValueFactory = _ => RevocationReason.Unspecified,
        };
        var revoke = new Command("revoke", "Revoke a certificate Certitude issued (key compromise revokes every certificate of the key)") { id, reason, CommonOptions.Format };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            var input = new RevokeInput { Reason = parse.GetValue(reason) };
            var revoked = await CliTarget.RunAsync<CertificateActionsService, IssuedCertificateInfo>(parse,
                (service, ct) => service.RevokeAsync(Owner, parse.GetValue(id), input.Reason, ct),
                (api, ct) => api.PostAsync<IssuedCertificateInfo>($"api/v1/certificates/{parse.GetValue(id)}/revoke", JsonContent.Create(input, options: RemoteApi.Json), ct),
                cancellationToken);
            Console.Out.WriteLine(parse.GetValue(CommonOptions.Format) == OutputFormat.Json
                ? JsonSerializer.Serialize(revoked, Output.Json)
                : $"Revoked certificate {revoked.CertificateId} (serial {revoked.SerialNumber}, CA {revoked.Authority}): {revoked.RevocationReason}.");
            return ExitCodes.Success;
        });

        command.Subcommands.Add(download);
        command.Subcommands.Add(renew);
        command.Subcommands.Add(reissue);
        command.Subcommands.Add(revoke);
        return command;
    }

    private static async Task<int> ReplaceAsync(ParseResult parse, string verb, ReplaceCertificateInput input,
        Func<CertificateActionsService, CancellationToken, Task<RequestDto>> local, CancellationToken cancellationToken)
    {
        var request = await CliTarget.RunAsync(parse, local,
            (api, ct) => api.PostAsync<RequestDto>($"api/v1/certificates/{parse.GetValue<long>("id")}/{verb}", JsonContent.Create(input, options: RemoteApi.Json), ct),
            cancellationToken);
        RequestCommand.Print(parse, [request]);
        return request.State == RequestState.Failed ? ExitCodes.PartialFailure : ExitCodes.Success;
    }
}
