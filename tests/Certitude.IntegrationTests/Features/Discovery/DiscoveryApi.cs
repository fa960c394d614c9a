using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Certitude.Data;
using Certitude.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certitude.IntegrationTests.Features.Discovery;

/// <summary>The discovery API calls and waits the tests of this folder share.</summary>
internal static class DiscoveryApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<T> PostAsync<T>(HttpClient client, string path, object? body, HttpStatusCode expected)
    {
        using var response = body is null ? await client.PostAsync(path, null, Cancel) : await client.PostAsJsonAsync(path, body, Json, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static async Task<T> PutAsync<T>(HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body, Json, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static async Task<T> GetAsync<T>(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="explain"/>'s text after <paramref name="timeout"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up after {timeout.TotalSeconds:0} s: {explain()}");
            await Task.Delay(200, Cancel);
        }
    }

    /// <summary>A database context over the in-process server's database, for facts the API does not show (leases, attempts).</summary>
    public static CertitudeDbContext Database(CertitudeServer server) =>
        server.Services.GetRequiredService<IDbContextFactory<CertitudeDbContext>>().CreateDbContext();
}
