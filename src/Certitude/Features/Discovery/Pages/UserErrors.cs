using Certitude.Hosting;

namespace Certitude.Features.Discovery.Pages;

/// <summary>
/// The service exceptions a page shows as a message (a refused input, a missing right, a vanished object): what a
/// person can act on. Anything else is a fault and goes to the error handler as usual.
/// </summary>
internal static class UserErrors
{
    public static bool IsShown(Exception exception) =>
        exception is DomainValidationException or ForbiddenException or NotFoundException or ConflictException;
}
