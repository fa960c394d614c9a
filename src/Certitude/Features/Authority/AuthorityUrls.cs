using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Certitude.Features.Authority;

/// <summary>The revocation and CA-issuers URLs put into issued certificates and shown beside each CA.</summary>
public sealed class AuthorityUrls(IOptions<AuthorityOptions> options, IServiceProvider services)
{
    /// <summary>Used by the local CLI when no public URL is configured: the address `certitude serve` listens on by default.</summary>
    private const string DefaultBase = "http://127.0.0.1:8080";

    public string Base
    {
        get
        {
            if (options.Value.PublicUrl is { Length: > 0 } configured)
            {
                return configured.TrimEnd('/');
            }

            var addresses = (services.GetService(typeof(IServer)) as IServer)?.Features.Get<IServerAddressesFeature>()?.Addresses;
            var first = addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses?.FirstOrDefault();
            return (first ?? DefaultBase).TrimEnd('/');
        }
    }

    public string Crl(string authority) => $"{Base}/crl/{authority}.crl";

    public string Ocsp(string authority) => $"{Base}/ocsp/{authority}";

    public string CaIssuers(string authority) => $"{Base}/ca/{authority}.crt";
}
