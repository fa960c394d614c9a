using Certitude.Data;
using Certitude.Features.Audit;
using Certitude.Features.Authority;
using Certitude.Features.Discovery;
using Certitude.Features.Inventory;
using Certitude.Features.Organization;
using Certitude.Features.Organization.Sso;
using Certitude.Web;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Scalar.AspNetCore;

namespace Certitude.Hosting;

/// <summary>
/// The one composition root: <c>certitude serve</c> and the test fixtures build the server here, so tests run
/// exactly what users run.
/// </summary>
public static class ServerHost
{
    public static WebApplication Build(ServerSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The static web assets manifest is named after the assembly; tests host it from another entry point.
            ApplicationName = typeof(ServerHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables("CERTITUDE_");
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.AddCertitudeStorage(settings.Storage);
        builder.Services.AddInventory(builder.Configuration);
        builder.Services.AddAuthority(builder.Configuration);
        builder.Services.AddAuthorityServer();
        builder.Services.AddDiscovery(builder.Configuration);
        builder.Services.AddDiscoveryServer();
        builder.Services.AddOrganizationCore();
        builder.Services.AddOrganizationAuthentication();

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.Services.AddValidation();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form =>
            form.MultipartBodyLengthLimit = builder.Configuration.GetValue<long?>("Inventory:MaxUploadBytes") ?? new InventoryOptions().MaxUploadBytes);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("Inventory:MaxUploadBytes") ?? new InventoryOptions().MaxUploadBytes);

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingAccessStateProvider>();
        builder.Services.AddMudServices();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<PageAccess>();

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAccessSnapshots();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.UseMiddleware<PasswordChangeGate>();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs", scalar => scalar
            .WithTitle("Certitude API")
            .DisableDefaultFonts()
            .DisableTelemetry())
            .AllowAnonymous();

        app.MapInventory();
        app.MapOrganization();
        app.MapDivisionsAndUsers();
        app.MapSso();
        app.MapAudit();
        app.MapAuthority();
        app.MapDiscovery();
        app.MapRevocation();

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Migrates the database and creates the first administrator; returns the printed-once password, if any.</summary>
    public static async Task<string?> PrepareAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AdminBootstrapper>().EnsureAdministratorAsync();
    }

    private sealed class DatabaseHealthCheck(Microsoft.EntityFrameworkCore.IDbContextFactory<CertitudeDbContext> contexts) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var db = contexts.CreateDbContext();
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }
}
