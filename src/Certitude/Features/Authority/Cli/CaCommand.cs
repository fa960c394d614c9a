using System.CommandLine;
using System.Text.Json;
using Certitude.Cli;
using Certitude.Features.Audit;
using Certitude.Features.Organization;
using Certitude.Pki.Signing;

namespace Certitude.Features.Authority.Cli;

/// <summary><c>certitude ca create|list|import</c>, locally or against a server with --server.</summary>
internal static class CaCommand
{
    private static readonly AccessScope Owner = AccessScope.Unrestricted(Actor.Cli());

    public static Command Create()
    {
        var command = new Command("ca", "Certitude's certificate authorities");

        var list = new Command("list", "List the CAs") { CommonOptions.Format };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var authorities = await CliTarget.RunAsync<AuthorityService, IReadOnlyList<AuthorityDto>>(parse,
                (service, ct) => service.ListAsync(Owner, ct),
                (api, ct) => api.GetAsync<IReadOnlyList<AuthorityDto>>("api/v1/authorities", ct), cancellationToken);
            Print(parse, authorities);
            return ExitCodes.Success;
        });

        var name = new Argument<string>("name") { Description = "URL-safe name (lowercase letters, digits, hyphens)" };
        var commonName = new Option<string>("--cn") { Description = "The CA certificate's common name", Required = true };
        var organization = new Option<string?>("--org") { Description = "Organization name in the CA's subject" };
        var keyType = new Option<SigningKeyType>("--key") { Description = "EcP256, EcP384, Rsa2048, Rsa3072, Rsa4096 or Ed25519", DefaultValueFactory = _ => SigningKeyType.EcP256 };
        var parent = new Option<string?>("--parent") { Description = "The CA that signs this one (none: a self-signed root)" };
        var days = new Option<int?>("--days") { Description = "Validity in days (default: 3650 for a root, 1825 for an intermediate)" };
        var issuing = new Option<bool?>("--issuing") { Description = "Accepts certificate requests (default: intermediates yes, roots no)" };
        var description = new Option<string?>("--description") { Description = "What the CA is for" };
        var create = new Command("create", "Create a root CA, or an intermediate with --parent") { name, commonName, organization, keyType, parent, days, issuing, description, CommonOptions.Format };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var input = new AuthorityInput
            {
                Name = parse.GetRequiredValue(name), CommonName = parse.GetRequiredValue(commonName), Organization = parse.GetValue(organization),
                KeyType = parse.GetValue(keyType), Parent = parse.GetValue(parent), ValidityDays = parse.GetValue(days), Issuing = parse.GetValue(issuing),
                Description = parse.GetValue(description),
            };
            var created = await CliTarget.RunAsync<AuthorityService, AuthorityDto>(parse,
                (service, ct) => service.CreateAsync(Owner, input, ct),
                (api, ct) => api.PostAsync<AuthorityDto>("api/v1/authorities", JsonContent.Create(input, options: RemoteApi.Json), ct), cancellationToken);
            Print(parse, [created]);
            return ExitCodes.Success;
        });

        var certificateFile = new Option<FileInfo>("--cert") { Description = "The CA certificate, PEM", Required = true };
        var keyFile = new Option<FileInfo>("--key") { Description = "Its private key, PEM (PKCS#8, PKCS#1 or SEC1; encrypted PKCS#8 with --key-password)", Required = true };
        var keyPassword = new Option<string?>("--key-password") { Description = "Password of an encrypted key" };
        var notIssuing = new Option<bool>("--not-issuing") { Description = "Keep it for signing other CAs only" };
        var import = new Command("import", "Bring an existing CA certificate and key under Certitude") { name, certificateFile, keyFile, keyPassword, notIssuing, description, CommonOptions.Format };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var input = new AuthorityImportInput
            {
                Name = parse.GetRequiredValue(name),
                CertificatePem = await ReadLimitedAsync(parse.GetRequiredValue(certificateFile), cancellationToken),
                KeyPem = await ReadLimitedAsync(parse.GetRequiredValue(keyFile), cancellationToken),
                KeyPassword = parse.GetValue(keyPassword),
                Issuing = !parse.GetValue(notIssuing),
                Description = parse.GetValue(description),
            };
            var imported = await CliTarget.RunAsync<AuthorityService, AuthorityDto>(parse,
                (service, ct) => service.ImportAsync(Owner, input, ct),
                (api, ct) => api.PostAsync<AuthorityDto>("api/v1/authorities/import", JsonContent.Create(input, options: RemoteApi.Json), ct), cancellationToken);
            Print(parse, [imported]);
            return ExitCodes.Success;
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(create);
        command.Subcommands.Add(import);
        return command;
    }

    internal static async Task<string> ReadLimitedAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new CliException($"{file.FullName}: no such file", ExitCodes.UsageError);
        }

        if (file.Length > AuthorityLimits.MaxKeyFileBytes)
        {
            throw new CliException($"{file.FullName}: larger than {AuthorityLimits.MaxKeyFileBytes / 1024} KiB; not a certificate, key or CSR", ExitCodes.UsageError);
        }

        return await File.ReadAllTextAsync(file.FullName, cancellationToken);
    }

    private static void Print(ParseResult parse, IReadOnlyList<AuthorityDto> authorities)
    {
        switch (parse.GetValue(CommonOptions.Format))
        {
            case OutputFormat.Json:
                Console.Out.WriteLine(JsonSerializer.Serialize(authorities, Output.Json));
                break;
            case OutputFormat.Csv:
                Console.Out.WriteLine(Output.CsvRow("name", "parent", "issuing", "subject", "key", "not_after", "crl", "ocsp"));
                foreach (var a in authorities)
                {
                    Console.Out.WriteLine(Output.CsvRow(a.Name, a.Parent, a.IsIssuing, a.Subject, a.KeyAlgorithm, a.NotAfter, a.CrlUrl, a.OcspUrl));
                }

                break;
            default:
                foreach (var a in authorities)
                {
                    var role = a.Parent is null ? "root" : $"under {a.Parent}";
                    Console.Out.WriteLine($"{a.Name,-20} {role,-22} {(a.IsIssuing ? "issuing" : "offline"),-8} {a.KeyAlgorithm,-10} until {a.NotAfter:yyyy-MM-dd}  {a.Subject}");
                }

                break;
        }
    }
}
