using Certitude.Features.Authority.Connectors;
using Certitude.Features.Authority.Connectors.BuiltIn;
using Certitude.Features.Authority.Keys;

namespace Certitude.Features.Authority;

public static class AuthorityModule
{
    /// <summary>The managed PKI's services, shared by the server and the local CLI.</summary>
    public static IServiceCollection AddAuthority(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthorityOptions>()
            .Bind(configuration.GetSection(AuthorityOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<MasterKey>();
        services.AddSingleton<SecretBox>();
        services.AddSingleton<ICaKeyStore, SoftwareKeyStore>();
        services.AddSingleton<CaKeyRing>();
        services.AddSingleton<ICaConnector, BuiltInCaConnector>();
        services.AddSingleton<AuthorityUrls>();
        services.AddSingleton<AuthorityService>();
        services.AddSingleton<RevocationService>();
        services.AddSingleton<RequestService>();
        services.AddSingleton<CertificateActionsService>();
        services.AddSingleton<ApprovalLinks>();
        return services;
    }

    /// <summary>Server-only parts: the scheduled CRL publisher.</summary>
    public static IServiceCollection AddAuthorityServer(this IServiceCollection services)
    {
        services.AddHostedService<CrlPublisher>();
        return services;
    }
}
