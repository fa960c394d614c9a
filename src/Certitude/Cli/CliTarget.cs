using System.CommandLine;
using Certitude.Data;

namespace Certitude.Cli;

/// <summary>Decides whether a command acts on the local data folder or on a remote server.</summary>
internal static class CliTarget
{
    public const string ServerEnvironmentVariable = "CERTITUDE_SERVER";
    public const string ApiKeyEnvironmentVariable = "CERTITUDE_API_KEY";

    /// <summary>The remote API when --server (or CERTITUDE_SERVER) is set; null for local.</summary>
    public static RemoteApi? Remote(ParseResult parse)
    {
        var server = parse.GetValue(CommonOptions.Server) ?? Environment.GetEnvironmentVariable(ServerEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            return null;
        }

        var key = parse.GetValue(CommonOptions.ApiKey) ?? Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new CliException("--server needs an API key: --api-key KEY or CERTITUDE_API_KEY (create one in the UI or with 'certitude apikeys create').", ExitCodes.UsageError);
        }

        return new RemoteApi(server, key);
    }

    public static StorageSettings Storage(ParseResult parse) =>
        StorageSettings.Resolve(parse.GetValue(CommonOptions.Data), parse.GetValue(CommonOptions.Database));

    /// <summary>Runs a command against a remote server (--server) or, locally, against a feature service over the data folder.</summary>
    public static async Task<T> RunAsync<TService, T>(ParseResult parse,
        Func<TService, CancellationToken, Task<T>> local, Func<RemoteApi, CancellationToken, Task<T>> remote, CancellationToken cancellationToken)
        where TService : notnull
    {
        if (Remote(parse) is { } api)
        {
            using (api)
            {
                return await remote(api, cancellationToken);
            }
        }

        await using var services = await LocalAsync(parse, cancellationToken);
        return await local(services.Services.GetRequiredService<TService>(), cancellationToken);
    }

    public static async Task<LocalServices> LocalAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            return await LocalServices.OpenAsync(Storage(parse), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not CliException)
        {
            throw new CliException($"Cannot open the data folder or database: {e.GetBaseException().Message}", ExitCodes.Unavailable);
        }
    }
}
