using Certitude.Tls.Targets;

namespace Certitude.Features.Discovery;

public static class DiscoveryModule
{
    /// <summary>Discovery's services, shared by the server and the local CLI.</summary>
    public static IServiceCollection AddDiscovery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DiscoveryOptions>()
            .Bind(configuration.GetSection(DiscoveryOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => IsCron(o.DefaultSchedule), "Discovery:DefaultSchedule must be a five-field cron expression.")
            .Validate(o => o.DnsServer is null || DnsServerResolver.TryParseServer(o.DnsServer, out _), "Discovery:DnsServer must be an IP address, optionally with a port.")
            .ValidateOnStart();
        services.AddSingleton<ScanWorkSignal>();
        services.AddSingleton<DiscoverySettingsService>();
        services.AddSingleton<DiscoveryIngestor>();
        services.AddSingleton<ScanRunService>();
        services.AddSingleton<ScanDefinitionService>();
        services.AddSingleton<EndpointService>();
        services.AddSingleton<AgentService>();
        return services;
    }

    /// <summary>Server-only parts: the scheduler and the server's own scanner.</summary>
    public static IServiceCollection AddDiscoveryServer(this IServiceCollection services)
    {
        services.AddHostedService<DiscoveryWorker>();
        return services;
    }

    private static bool IsCron(string schedule)
    {
        try
        {
            ScanTargetRules.ParseSchedule(schedule);
            return true;
        }
        catch (Hosting.DomainValidationException)
        {
            return false;
        }
    }
}
