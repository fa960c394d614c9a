using System.Globalization;
using System.Net.Http.Headers;
using Certitude.Cli;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Inventory.Cli;

internal sealed class RemoteInventoryClient(RemoteApi api) : IInventoryClient
{
    /// <summary>Files per upload request: enough to amortize the round trip, small enough to stay far below the server's limit.</summary>
    private const int FilesPerUpload = 100;
    private const long BytesPerUpload = 8 * 1024 * 1024;

    public Task<CertificatePage> ListAsync(CertificateQuery query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var parameters = new List<string> { $"limit={limit}", $"sort={query.Sort}", $"descending={query.Descending}" };
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                parameters.Add($"{name}={Uri.EscapeDataString(Convert.ToString(value, CultureInfo.InvariantCulture)!)}");
            }
        }

        Add("text", query.Text);
        Add("issuer", query.Issuer);
        Add("status", query.Status);
        Add("expiringWithinDays", query.ExpiringWithinDays);
        Add("keyAlgorithm", query.KeyAlgorithm);
        Add("tag", query.Tag);
        Add("division", query.DivisionId);
        Add("cursor", cursor);
        return api.GetAsync<CertificatePage>("api/v1/certificates?" + string.Join('&', parameters), cancellationToken);
    }

    public Task<CertificateDetails> GetAsync(string idOrFingerprint, CancellationToken cancellationToken) =>
        api.GetAsync<CertificateDetails>("api/v1/certificates/" + Uri.EscapeDataString(idOrFingerprint), cancellationToken);

    public Task<CertificateDetails> UpdateAsync(string idOrFingerprint, CertificateUpdate update, CancellationToken cancellationToken) =>
        api.SendAsync<CertificateDetails>(new HttpRequestMessage(HttpMethod.Patch, "api/v1/certificates/" + Uri.EscapeDataString(idOrFingerprint))
        {
            Content = System.Net.Http.Json.JsonContent.Create(update, options: RemoteApi.Json),
        }, cancellationToken);

    public Task DeleteAsync(string idOrFingerprint, CancellationToken cancellationToken) =>
        api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "api/v1/certificates/" + Uri.EscapeDataString(idOrFingerprint)), cancellationToken);

    public async Task<ImportSummary> ImportAsync(IReadOnlyList<string> paths, string? password, long? division, Action<FileImportResult> onFile,
        IProgress<ImportProgress> progress, CancellationToken cancellationToken)
    {
        var reader = new ImportFileReader(Options.Create(new InventoryOptions()));
        var totals = new int[4];
        var batch = new List<ImportFile>();
        long batchBytes = 0;

        async Task FlushAsync()
        {
            var ready = batch.Where(f => f.ReadError is null).ToList();
            foreach (var unreadable in batch.Where(f => f.ReadError is not null))
            {
                Record(new FileImportResult(unreadable.Name, null, [], unreadable.ReadError));
            }

            if (ready.Count > 0)
            {
                using var form = new MultipartFormDataContent();
                foreach (var file in ready)
                {
                    var part = new ReadOnlyMemoryContent(file.Content);
                    part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    form.Add(part, "files", file.Name);
                }

                if (password is not null)
                {
                    form.Add(new StringContent(password), "password");
                }

                if (division is not null)
                {
                    form.Add(new StringContent(division.Value.ToString(CultureInfo.InvariantCulture)), "division");
                }

                var response = await api.PostAsync<ImportResponse>("api/v1/certificates/import", form, cancellationToken);
                // The server only knows file names; report the paths the user typed.
                for (var i = 0; i < response.Files.Count; i++)
                {
                    Record(response.Files[i] with { Name = i < ready.Count ? ready[i].Name : response.Files[i].Name });
                }
            }

            batch.Clear();
            batchBytes = 0;
            progress.Report(new ImportProgress(totals[0], totals[1], totals[2]));
        }

        void Record(FileImportResult result)
        {
            totals[0]++;
            totals[1] += result.Succeeded ? 0 : 1;
            totals[2] += result.Certificates.Count;
            totals[3] += result.Certificates.Count(c => c.New);
            onFile(result);
        }

        await foreach (var file in reader.ReadAsync(paths, cancellationToken))
        {
            batch.Add(file);
            batchBytes += file.Content.Length;
            if (batch.Count >= FilesPerUpload || batchBytes >= BytesPerUpload)
            {
                await FlushAsync();
            }
        }

        if (batch.Count > 0)
        {
            await FlushAsync();
        }

        return new ImportSummary(totals[0], totals[1], totals[2], totals[3]);
    }

    public ValueTask DisposeAsync()
    {
        api.Dispose();
        return ValueTask.CompletedTask;
    }
}
