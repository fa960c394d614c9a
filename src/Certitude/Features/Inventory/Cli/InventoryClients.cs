using System.CommandLine;
using Certitude.Cli;

namespace Certitude.Features.Inventory.Cli;

internal static class InventoryClients
{
    public static async Task<IInventoryClient> OpenAsync(ParseResult parse, CancellationToken cancellationToken) =>
        CliTarget.Remote(parse) is { } remote
            ? new RemoteInventoryClient(remote)
            : new LocalInventoryClient(await CliTarget.LocalAsync(parse, cancellationToken));
}
