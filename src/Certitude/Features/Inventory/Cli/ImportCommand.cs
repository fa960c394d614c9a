using System.CommandLine;
using Certitude.Cli;
using Spectre.Console;

namespace Certitude.Features.Inventory.Cli;

/// <summary><c>certitude import PATH... [--password P]</c></summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (searched recursively) to import", Arity = ArgumentArity.OneOrMore };
        var password = new Option<string?>("--password") { Description = "Password for PKCS#12 files (or CERTITUDE_IMPORT_PASSWORD)" };
        var division = new Option<long?>("--division") { Description = "Division id new certificates belong to (default: your topmost division)" };
        var command = new Command("import", "Import certificates from PEM, DER, PKCS#7 and PKCS#12 files and folders") { paths, password, division };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetRequiredValue(paths),
            parse.GetValue(password) ?? Environment.GetEnvironmentVariable("CERTITUDE_IMPORT_PASSWORD"), parse.GetValue(division), parse, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, string? password, long? division, ParseResult parse, CancellationToken cancellationToken)
    {
        await using var client = await InventoryClients.OpenAsync(parse, cancellationToken);
        var failures = new List<FileImportResult>();
        void OnFile(FileImportResult result)
        {
            if (!result.Succeeded)
            {
                failures.Add(result);
            }
        }

        var total = ImportFileReader.CountFiles(paths);
        ImportSummary summary;
        if (Console.IsErrorRedirected)
        {
            // No terminal (CI logs, pipes): Spectre's bar would print nothing, so print plain progress lines.
            var lastReport = DateTime.UtcNow;
            var progress = new SynchronousProgress(p =>
            {
                if (DateTime.UtcNow - lastReport > TimeSpan.FromSeconds(2))
                {
                    lastReport = DateTime.UtcNow;
                    Console.Error.WriteLine($"imported {p.FilesDone}/{total} files, {p.CertificatesSeen} certificates, {p.FilesFailed} failed");
                }
            });
            summary = await client.ImportAsync(paths, password, division, OnFile, progress, cancellationToken);
        }
        else
        {
            summary = await Output.Stderr.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Importing {total} files", maxValue: Math.Max(1, total));
                    var progress = new SynchronousProgress(p =>
                    {
                        task.Value = Math.Min(p.FilesDone, task.MaxValue);
                        task.Description = $"{p.FilesDone}/{total} files, {p.CertificatesSeen} certificates, {p.FilesFailed} failed";
                    });
                    var result = await client.ImportAsync(paths, password, division, OnFile, progress, cancellationToken);
                    task.Value = task.MaxValue;
                    task.StopTask();
                    return result;
                });
        }

        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"{failure.Name}: {failure.Error}");
        }

        Console.Out.WriteLine($"{summary.Files} files: {summary.Certificates} certificates ({summary.NewCertificates} new), {summary.FailedFiles} files failed");
        return summary.FailedFiles > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
