using System.CommandLine;
using System.Text.Json;
using Certitude.Cli;
using Spectre.Console;

namespace Certitude.Features.Inventory.Cli;

/// <summary><c>certitude certs list|show</c></summary>
internal static class CertsCommand
{
    public static Command Create()
    {
        var command = new Command("certs", "Query the certificate inventory");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreatePem());
        command.Subcommands.Add(CreateUpdate());
        command.Subcommands.Add(CreateDelete());
        return command;
    }

    private static Command CreateList()
    {
        var expiring = new Option<int?>("--expiring") { Description = "Only certificates that expire within this many days" };
        var text = new Option<string?>("--search", "-s") { Description = "Match names (CN, SANs, or a dot-separated tail of them), serial or fingerprint" };
        var issuer = new Option<string?>("--issuer") { Description = "Issuer common name or DN" };
        var status = new Option<CertificateStatus?>("--status") { Description = "Valid, Expiring, Expired or NotYetValid" };
        var keyAlgorithm = new Option<string?>("--key-algorithm") { Description = "RSA, EC, Ed25519, ..." };
        var tag = new Option<string?>("--tag") { Description = "Only certificates with this tag" };
        var division = new Option<long?>("--division") { Description = "Only certificates of this division id and its sub-divisions" };
        var sort = new Option<CertificateSort>("--sort") { Description = "Sort order", DefaultValueFactory = _ => CertificateSort.NotAfter };
        var descending = new Option<bool>("--descending") { Description = "Reverse the sort order" };
        var limit = new Option<int?>("--limit") { Description = "At most this many (table default: 50; json and csv stream every match)" };
        var command = new Command("list", "List certificates")
        {
            expiring, text, issuer, status, keyAlgorithm, tag, division, sort, descending, limit, CommonOptions.Format,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var query = new CertificateQuery
            {
                ExpiringWithinDays = parse.GetValue(expiring), Text = parse.GetValue(text), Issuer = parse.GetValue(issuer),
                Status = parse.GetValue(status), KeyAlgorithm = parse.GetValue(keyAlgorithm), Tag = parse.GetValue(tag), DivisionId = parse.GetValue(division),
                Sort = parse.GetValue(sort), Descending = parse.GetValue(descending),
            };
            var format = parse.GetValue(CommonOptions.Format);
            var max = parse.GetValue(limit) ?? (format == OutputFormat.Table ? InventoryLimits.DefaultPageSize : int.MaxValue);
            if (max < 1)
            {
                throw new CliException("--limit must be at least 1.", ExitCodes.UsageError);
            }

            await using var client = await InventoryClients.OpenAsync(parse, cancellationToken);
            var rows = Stream(client, query, max, cancellationToken);
            switch (format)
            {
                case OutputFormat.Json:
                    await WriteJsonAsync(rows, cancellationToken);
                    break;
                case OutputFormat.Csv:
                    await WriteCsvAsync(rows, cancellationToken);
                    break;
                default:
                    await WriteTableAsync(rows, cancellationToken);
                    break;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("id") { Description = "Certificate id or SHA-256 fingerprint (hex, colons allowed)" };
        var command = new Command("show", "Show every recorded fact of one certificate, its chain and sources") { id, CommonOptions.Format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = await InventoryClients.OpenAsync(parse, cancellationToken);
            WriteDetails(await client.GetAsync(parse.GetRequiredValue(id), cancellationToken), parse.GetValue(CommonOptions.Format));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreatePem()
    {
        var id = new Argument<string>("id") { Description = "Certificate id or SHA-256 fingerprint" };
        var chain = new Option<bool>("--chain") { Description = "Also the issuers the inventory holds, up to the root" };
        var command = new Command("pem", "Print the certificate as PEM") { id, chain };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = await InventoryClients.OpenAsync(parse, cancellationToken);
            var details = await client.GetAsync(parse.GetRequiredValue(id), cancellationToken);
            Console.Out.Write(details.Pem.TrimEnd() + "\n");
            if (parse.GetValue(chain))
            {
                foreach (var link in details.Chain.Skip(1))
                {
                    Console.Out.Write((await client.GetAsync(link.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken)).Pem.TrimEnd() + "\n");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateUpdate()
    {
        var id = new Argument<string>("id") { Description = "Certificate id or SHA-256 fingerprint" };
        var owner = new Option<string?>("--owner") { Description = "Owner (empty string clears it)" };
        var division = new Option<long?>("--division") { Description = "Move the certificate to this division id (manager in both)" };
        var notes = new Option<string?>("--notes") { Description = "Notes (empty string clears them)" };
        var tags = new Option<string[]?>("--tag") { Description = "Tag; repeat for several. Replaces the tags.", AllowMultipleArgumentsPerToken = false };
        var clearTags = new Option<bool>("--clear-tags") { Description = "Remove every tag" };
        var command = new Command("update", "Change owner, division, tags or notes") { id, owner, division, notes, tags, clearTags, CommonOptions.Format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var update = new CertificateUpdate
            {
                Owner = parse.GetValue(owner), DivisionId = parse.GetValue(division), Notes = parse.GetValue(notes),
                Tags = parse.GetValue(clearTags) ? [] : parse.GetValue(tags),
            };
            await using var client = await InventoryClients.OpenAsync(parse, cancellationToken);
            WriteDetails(await client.UpdateAsync(parse.GetRequiredValue(id), update, cancellationToken), parse.GetValue(CommonOptions.Format));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateDelete()
    {
        var id = new Argument<string>("id") { Description = "Certificate id or SHA-256 fingerprint" };
        var command = new Command("delete", "Remove a certificate from the inventory (importing it again restores it)") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var client = await InventoryClients.OpenAsync(parse, cancellationToken);
            await client.DeleteAsync(parse.GetRequiredValue(id), cancellationToken);
            Console.Error.WriteLine("Deleted.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async IAsyncEnumerable<CertificateSummary> Stream(IInventoryClient client, CertificateQuery query, int max,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var left = max;
        string? cursor = null;
        do
        {
            var page = await client.ListAsync(query, cursor, Math.Min(left, InventoryLimits.MaxPageSize), cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            left -= page.Items.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null && left > 0);
    }

    private static async Task WriteJsonAsync(IAsyncEnumerable<CertificateSummary> rows, CancellationToken cancellationToken)
    {
        await using var stdout = Console.OpenStandardOutput();
        await using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
        writer.WriteStartArray();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, row, Output.Json);
            if (writer.BytesPending > 64 * 1024)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
        await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }

    private static async Task WriteCsvAsync(IAsyncEnumerable<CertificateSummary> rows, CancellationToken cancellationToken)
    {
        var stdout = Console.Out;
        await stdout.WriteLineAsync(Output.CsvRow("id", "common_name", "subject", "issuer_common_name", "issuer", "serial", "not_before",
            "not_after", "status", "days_left", "key_algorithm", "key_size", "key_curve", "is_ca", "self_signed", "owner", "division_id", "sha256"));
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            await stdout.WriteLineAsync(Output.CsvRow(r.Id, r.CommonName, r.Subject, r.IssuerCommonName, r.Issuer, r.SerialNumber, r.NotBefore,
                r.NotAfter, r.Status, r.DaysLeft, r.KeyAlgorithm, r.KeySize, r.KeyCurve, r.IsCertificateAuthority, r.IsSelfSigned, r.Owner,
                r.DivisionId, r.Sha256Fingerprint));
        }
    }

    private static async Task WriteTableAsync(IAsyncEnumerable<CertificateSummary> rows, CancellationToken cancellationToken)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("ID", "Common name", "Issuer", "Expires", "Days", "Status", "Key");
        var count = 0;
        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            count++;
            table.AddRow(
                r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(r.CommonName ?? r.Subject),
                Markup.Escape(r.IssuerCommonName ?? r.Issuer),
                r.NotAfter.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                r.DaysLeft.ToString(System.Globalization.CultureInfo.InvariantCulture),
                StatusMarkup(r.Status),
                Markup.Escape(r.KeyCurve is null ? $"{r.KeyAlgorithm} {r.KeySize}" : $"{r.KeyAlgorithm} {r.KeyCurve}"));
        }

        if (count == 0)
        {
            Console.Out.WriteLine("No certificates match.");
            return;
        }

        Output.Stdout.Write(table);
    }

    private static string StatusMarkup(CertificateStatus status) => status switch
    {
        CertificateStatus.Valid => "[green]valid[/]",
        CertificateStatus.Expiring => "[yellow]expiring[/]",
        CertificateStatus.Expired => "[red]expired[/]",
        _ => "[blue]not yet valid[/]",
    };

    private static void WriteDetails(CertificateDetails details, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(details, Output.Json));
        }
        else
        {
            WriteDetailsGrid(details);
        }
    }

    private static void WriteDetailsGrid(CertificateDetails d)
    {
        var s = d.Summary;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, object? value)
        {
            if (value is not null && value.ToString() is { Length: > 0 } text)
            {
                grid.AddRow($"[bold]{Markup.Escape(name)}[/]", Markup.Escape(text));
            }
        }

        Row("ID", s.Id);
        Row("Subject", s.Subject);
        Row("Issuer", s.Issuer);
        Row("Serial", s.SerialNumber);
        Row("Not before", s.NotBefore.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        Row("Not after", s.NotAfter.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        Row("Status", $"{s.Status} ({s.DaysLeft} days left)");
        Row("SANs", string.Join(", ", d.SubjectAlternativeNames));
        Row("Key", s.KeyCurve is null ? $"{s.KeyAlgorithm} {s.KeySize} bits" : $"{s.KeyAlgorithm} {s.KeyCurve}");
        Row("Signature", d.SignatureAlgorithm);
        Row("SHA-256", s.Sha256Fingerprint);
        Row("SHA-1", d.Sha1Fingerprint);
        Row("SPKI SHA-256", d.SpkiSha256);
        Row("Subject key id", d.SubjectKeyIdentifier);
        Row("Authority key id", d.AuthorityKeyIdentifier);
        Row("CA", s.IsCertificateAuthority ? $"yes{(d.PathLengthConstraint is { } p ? $", path length {p}" : "")}" : "no");
        Row("Self-signed", s.IsSelfSigned ? "yes" : "no");
        Row("Key usage", string.Join(", ", d.KeyUsages));
        Row("Extended key usage", string.Join(", ", d.ExtendedKeyUsages.Select(OidNames.Describe)));
        Row("Policies", string.Join(", ", d.CertificatePolicies.Select(OidNames.Describe)));
        Row("Validation", d.ValidationLevel);
        Row("CRL", string.Join(", ", d.CrlDistributionPoints));
        Row("OCSP", string.Join(", ", d.OcspUrls));
        Row("CA issuers", string.Join(", ", d.CaIssuerUrls));
        Row("Embedded SCTs", d.EmbeddedSctCount);
        Row("Must-staple", d.MustStaple ? "yes" : null);
        Row("Unknown critical", string.Join(", ", d.UnknownCriticalExtensions));
        Row("Owner", s.Owner);
        Row("Division", s.DivisionId);
        Row("Tags", string.Join(", ", d.Tags));
        Row("Notes", d.Notes);
        Row("Chain", string.Join(" → ", d.Chain.Select(c => c.CommonName ?? c.Subject)) + (d.ChainComplete ? "" : " (incomplete)"));
        foreach (var source in d.Sources)
        {
            Row("Source", $"{source.Kind}: {source.Location} (first {source.FirstSeenAt.UtcDateTime:u}, last {source.LastSeenAt.UtcDateTime:u})");
        }

        Output.Stdout.Write(grid);
    }
}
