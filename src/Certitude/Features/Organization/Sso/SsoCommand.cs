using System.CommandLine;
using System.Text.Json;
using Certitude.Cli;
using Certitude.Features.Audit;

namespace Certitude.Features.Organization.Sso;

/// <summary><c>certitude sso show|set</c>: single sign-on settings, locally or on a server.</summary>
internal static class SsoCommand
{
    private static readonly AccessScope Owner = AccessScope.Unrestricted(Actor.Cli());

    public static Command Create()
    {
        var command = new Command("sso", "Single sign-on through an OpenID Connect provider");
        var show = new Command("show", "Show the settings (the client secret only as set or not)");
        show.SetAction(async (parse, ct) =>
        {
            var settings = await CliTarget.RunAsync<SsoService, SsoSettingsDto>(parse, (s, _) => Task.FromResult(s.Get(Owner)),
                (api, c) => api.GetAsync<SsoSettingsDto>("api/v1/settings/sso", c), ct);
            Console.Out.WriteLine(JsonSerializer.Serialize(settings, Output.Json));
            return ExitCodes.Success;
        });

        var enabled = new Option<bool>("--enabled") { Description = "Turn single sign-on on" };
        var name = new Option<string?>("--name") { Description = "Shown on the sign-in button" };
        var authority = new Option<string?>("--authority") { Description = "The provider's issuer URL (https)" };
        var clientId = new Option<string?>("--client-id") { Description = "Client id registered at the provider" };
        var secretFile = new Option<FileInfo?>("--client-secret-file") { Description = "File holding the client secret (kept encrypted; never on the command line)" };
        var groupsClaim = new Option<string?>("--groups-claim") { Description = "ID token claim with the user's groups (default: groups)" };
        var map = new Option<string[]>("--map") { Description = "GROUP=DIVISION_ID:ROLE, e.g. platform-team=4:Manager (repeat)" };
        var disableLocal = new Option<bool>("--disable-local-login") { Description = "Refuse password sign-in" };
        var set = new Command("set", "Replace the settings") { enabled, name, authority, clientId, secretFile, groupsClaim, map, disableLocal };
        set.SetAction(async (parse, ct) =>
        {
            var input = new SsoSettingsInput
            {
                Enabled = parse.GetValue(enabled), DisplayName = parse.GetValue(name), Authority = parse.GetValue(authority), ClientId = parse.GetValue(clientId),
                ClientSecret = parse.GetValue(secretFile) is { } file ? (await File.ReadAllTextAsync(file.FullName, ct)).Trim() : null,
                GroupsClaim = parse.GetValue(groupsClaim), Mappings = ParseMappings(parse.GetValue(map) ?? []), DisableLocalLogin = parse.GetValue(disableLocal),
            };
            var settings = await CliTarget.RunAsync<SsoService, SsoSettingsDto>(parse, (s, c) => s.UpdateAsync(Owner, input, c),
                (api, c) => api.SendAsync<SsoSettingsDto>(new HttpRequestMessage(HttpMethod.Put, "api/v1/settings/sso") { Content = JsonContent.Create(input, options: RemoteApi.Json) }, c), ct);
            Console.Out.WriteLine(JsonSerializer.Serialize(settings, Output.Json));
            return ExitCodes.Success;
        });

        command.Subcommands.Add(show);
        command.Subcommands.Add(set);
        return command;
    }

    private static List<SsoGroupMapping> ParseMappings(IEnumerable<string> values) => values.Select(value =>
    {
        var (group, rest) = value.LastIndexOf('=') is var equals and > 0 ? (value[..equals], value[(equals + 1)..]) : (value, "");
        var parts = rest.Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], out var division) && Enum.TryParse<OrganizationRole>(parts[1], true, out var role)
            ? new SsoGroupMapping(group, division, role)
            : throw new CliException($"--map '{value}' is not GROUP=DIVISION_ID:ROLE.", ExitCodes.UsageError);
    }).ToList();
}
