using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Certitude.Features.Discovery;
using Certitude.Features.Organization;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>Calls of the discovery API shared by its tests, and scan results built by hand from certificates the tests make.</summary>
internal static class DiscoveryTestApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static int _subnets;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>"127.N" with N unique in the test run: every test records endpoints on loopback addresses of its own.</summary>
    public static string NewSubnet() => $"127.{100 + Interlocked.Increment(ref _subnets)}";

    /// <summary>One endpoint that answered with <paramref name="chain"/> (leaf first), as the scanner reports it.</summary>
    public static ScanResultDto Result(string address, int port, params X509Certificate2[] chain) =>
        Raw(address, port, [.. chain.Select(c => Convert.ToBase64String(c.RawData))]);

    /// <summary>One endpoint with the chain exactly as given (base64 items, valid or not).</summary>
    public static ScanResultDto Raw(string address, int port, IReadOnlyList<string> chain) =>
        new(address, port, null, "none", "TLSv1.3", "TLS_AES_128_GCM_SHA256", true, chain, null, 2.5, null, null, DateTimeOffset.UtcNow);

    public static async Task<ScanRunDto> UploadAsync(HttpClient client, IReadOnlyList<string> targets, string ports, IReadOnlyList<ScanResultDto> results,
        long? divisionId = null)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/discovery/uploads", new ScanUploadInput(targets, ports, null, divisionId, results), Json, Cancel);
        return await ReadAsync<ScanRunDto>(response, HttpStatusCode.Created);
    }

    public static async Task<List<EndpointDto>> EndpointsAsync(HttpClient client, string query)
    {
        var page = await client.GetFromJsonAsync<EndpointPage>($"/api/v1/discovery/endpoints?limit=1000&{query}", Json, Cancel);
        return [.. page!.Items];
    }

    public static async Task<List<DiscoveryChangeDto>> ChangesAsync(HttpClient client, long runId) =>
        (await client.GetFromJsonAsync<List<DiscoveryChangeDto>>($"/api/v1/discovery/changes?run={runId}", Json, Cancel))!;

    public static async Task<ScanDefinitionDto> CreateScanAsync(HttpClient client, object input)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/discovery/scans", input, Json, Cancel);
        return await ReadAsync<ScanDefinitionDto>(response, HttpStatusCode.Created);
    }

    public static async Task<DiscoverySettingsDto> UpdateSettingsAsync(HttpClient admin, DiscoverySettingsInput input)
    {
        using var response = await admin.PutAsJsonAsync("/api/v1/discovery/settings", input, Json, Cancel);
        return await ReadAsync<DiscoverySettingsDto>(response, HttpStatusCode.OK);
    }

    public static async Task<DivisionDto> CreateDivisionAsync(HttpClient admin, string name, IReadOnlyList<string>? ipRanges = null, long? parentId = null)
    {
        parentId ??= (await admin.GetFromJsonAsync<List<DivisionDto>>("/api/v1/divisions", Json, Cancel))!.Single(d => d.ParentId is null).Id;
        using var response = await admin.PostAsJsonAsync("/api/v1/divisions", new { parentId, name, ipRanges }, Json, Cancel);
        return await ReadAsync<DivisionDto>(response, HttpStatusCode.Created);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    /// <summary>Asserts a problem document with the expected status; returns its title, detail and errors as plain text.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var text = new System.Text.StringBuilder(root.GetProperty("title").GetString());
        if (root.TryGetProperty("detail", out var detail))
        {
            text.Append('\n').Append(detail.GetString());
        }

        if (root.TryGetProperty("errors", out var errors))
        {
            foreach (var field in errors.EnumerateObject())
            {
                text.Append('\n').Append(field.Name).Append(": ").AppendJoin(" ", field.Value.EnumerateArray().Select(e => e.GetString()));
            }
        }

        return text.ToString();
    }
}
