namespace Certitude.Features.Inventory;

public static class InventoryModule
{
    /// <summary>The inventory's services, shared by the server and the local CLI.</summary>
    public static IServiceCollection AddInventory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InventoryOptions>()
            .Bind(configuration.GetSection(InventoryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<InventoryService>();
        services.AddSingleton<CertificateImporter>();
        services.AddSingleton<ImportFileReader>();
        return services;
    }
}
