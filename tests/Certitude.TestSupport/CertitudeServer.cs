using System.Net.Http.Headers;
using System.Net.Http.Json;
using Certitude.Data;
using Certitude.Features.Organization;
using Certitude.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Certitude.TestSupport;

/// <summary>
/// The real Certitude server, built by the same composition root as <c>certitude serve</c>, listening on
/// 127.0.0.1 on a free port, over a fresh database. Signs in nothing by itself: <see cref="AdminPassword"/> is the
/// first-run password and <see cref="AdminApiKey"/> a key created for the administrator.
/// </summary>
public sealed class CertitudeServer : IAsyncDisposable
{
    private readonly Microsoft.AspNetCore.Builder.WebApplication _app;
    private readonly bool _ownsDatabase;

    private CertitudeServer(Microsoft.AspNetCore.Builder.WebApplication app, TestDatabase database, Uri baseAddress, string adminPassword, string apiKey,
        bool ownsDatabase = true)
    {
        _app = app;
        _ownsDatabase = ownsDatabase;
        Database = database;
        BaseAddress = baseAddress;
        AdminPassword = adminPassword;
        AdminApiKey = apiKey;
    }

    public TestDatabase Database { get; }
    public Uri BaseAddress { get; }
    public string AdminPassword { get; }
    public string AdminApiKey { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<CertitudeServer> StartAsync(DatabaseProvider provider, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var (app, created) = await StartAppAsync(database, configure);
        var address = app.Urls.First();
        var password = created ?? throw new InvalidOperationException("A fresh database must create the administrator.");

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CertitudeUser>>();
        var admin = await users.FindByNameAsync(AdminBootstrapper.AdminUserName) ?? throw new InvalidOperationException("no admin");
        var key = await app.Services.GetRequiredService<ApiKeyService>()
            .CreateAsync(admin.Id, new CreateApiKeyRequest { Name = "tests" }, null, CancellationToken.None);
        return new CertitudeServer(app, database, new Uri(address), password, key.Key);
    }

    /// <summary>Another server over this one's database, as several <c>certitude serve</c> nodes share one PostgreSQL:
    /// same administrator and key, its own caches. Disposing it leaves the database to this server.</summary>
    public async Task<CertitudeServer> StartNodeAsync(Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var (app, _) = await StartAppAsync(Database, configure);
        return new CertitudeServer(app, Database, new Uri(app.Urls.First()), AdminPassword, AdminApiKey, ownsDatabase: false);
    }

    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, string? Password)> StartAppAsync(TestDatabase database,
        Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure)
    {
        var app = ServerHost.Build(new ServerSettings(database.Storage, "http://127.0.0.1:0"), builder =>
        {
            builder.Configuration["Logging:LogLevel:Default"] = nameof(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        var password = await ServerHost.PrepareAsync(app.Services, CancellationToken.None);
        await app.StartAsync();
        return (app, password);
    }

    /// <summary>An HTTP client that authenticates with the administrator's API key.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? AdminApiKey);
        return client;
    }

    /// <summary>
    /// Creates a user through the users API (as the administrator), with a role in one division and the e-mail
    /// <c>{userName}@example.test</c>, and returns a client that authenticates with a new API key of theirs.
    /// </summary>
    public async Task<HttpClient> CreateUserClientAsync(string userName, long divisionId, OrganizationRole role, CancellationToken cancellationToken)
    {
        using var admin = CreateClient();
        using var response = await admin.PostAsJsonAsync("/api/v1/users",
            new CreateUserRequest { UserName = userName, Email = $"{userName}@example.test", DivisionId = divisionId, Role = role }, cancellationToken);
        var created = response.StatusCode == System.Net.HttpStatusCode.Created
            ? await response.Content.ReadFromJsonAsync<CreatedUser>(cancellationToken)
            : throw new InvalidOperationException($"creating {userName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        var key = await Services.GetRequiredService<ApiKeyService>().CreateAsync(created!.User.Id, new CreateApiKeyRequest { Name = "test" }, null, cancellationToken);
        return CreateClient(key.Key);
    }

    /// <remarks>A request sent with <c>Expect: 100-continue</c> waits up to 30 s for the server's first answer before
    /// sending its body (the default second is too short on a loaded machine: an upload refused with 413 then breaks
    /// its pipe instead of reading the refusal).</remarks>
    public HttpClient CreateAnonymousClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
