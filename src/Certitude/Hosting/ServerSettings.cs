using Certitude.Data;

namespace Certitude.Hosting;

/// <summary>What <c>certitude serve</c> was asked for on its command line.</summary>
/// <param name="Storage">Data folder and database.</param>
/// <param name="Urls">Addresses to listen on; loopback by default.</param>
public sealed record ServerSettings(StorageSettings Storage, string Urls)
{
    public const string DefaultUrls = "http://127.0.0.1:8080";
}
