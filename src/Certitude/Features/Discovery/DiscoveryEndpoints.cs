using Certitude.Features.Organization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Certitude.Features.Discovery;

public static class DiscoveryEndpoints
{
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder app)
    {
        var discovery = app.MapGroup("/api/v1/discovery").WithTags("Discovery").RequireAuthorization();
        discovery.MapGet("/settings", GetSettingsAsync).WithName("GetDiscoverySettings")
            .WithSummary("Allowed and production ranges, approved CAs, wildcard spread threshold (organization administrators)");
        discovery.MapPut("/settings", UpdateSettingsAsync).WithName("UpdateDiscoverySettings").WithSummary("Change the discovery rules (organization administrators)");

        discovery.MapGet("/scans", ListScansAsync).WithName("ListScans").WithSummary("Saved scans with their last run");
        discovery.MapPost("/scans", CreateScanAsync).WithName("CreateScan")
            .WithSummary("Save a scan: targets, ports, exclusions, cron schedule (default weekly), agent zone (division managers)");
        discovery.MapGet("/scans/{id:long}", GetScanAsync).WithName("GetScan").WithSummary("One saved scan");
        discovery.MapPut("/scans/{id:long}", UpdateScanAsync).WithName("UpdateScan").WithSummary("Change a saved scan");
        discovery.MapDelete("/scans/{id:long}", DeleteScanAsync).WithName("DeleteScan").WithSummary("Delete a saved scan (its runs stay)");
        discovery.MapPost("/scans/{id:long}/run", RunScanAsync).WithName("RunScan").WithSummary("Run a saved scan now");

        discovery.MapGet("/runs", ListRunsAsync).WithName("ListScanRuns").WithSummary("Scan runs, newest first, with live progress");
        discovery.MapGet("/runs/{id:long}", GetRunAsync).WithName("GetScanRun").WithSummary("One run: progress and summary");
        discovery.MapPost("/runs/{id:long}/cancel", CancelRunAsync).WithName("CancelScanRun").WithSummary("Cancel a queued or running run");
        discovery.MapPost("/uploads", UploadAsync).WithName("UploadScanResults")
            .WithSummary("Record results of a scan run elsewhere (certitude scan --server) as a finished run")

            // Up to MaxResultsPerUpload results with their chains outgrow the server-wide body limit (sized for imports).
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(DiscoveryLimits.MaxUploadBytes));

        discovery.MapGet("/endpoints", ListEndpointsAsync).WithName("ListEndpoints")
            .WithSummary("Discovered endpoints; filters: q (address, host name, certificate common name or fingerprint), rogue, active, problem, division, run");
        discovery.MapGet("/endpoints/{id:long}", GetEndpointAsync).WithName("GetEndpoint").WithSummary("One endpoint with its certificate history and changes");
        discovery.MapGet("/changes", ListChangesAsync).WithName("ListDiscoveryChanges")
            .WithSummary("New endpoints, changed and gone certificates, gone endpoints; newest first");

        discovery.MapGet("/agents", ListAgentsAsync).WithName("ListAgents").WithSummary("Registered scan agents (organization administrators)");
        discovery.MapPost("/agents/{id:long}/disable", DisableAgentAsync).WithName("DisableAgent").WithSummary("Stop an agent from taking work");
        discovery.MapPost("/agents/{id:long}/enable", EnableAgentAsync).WithName("EnableAgent").WithSummary("Let a disabled agent take work again");
        discovery.MapGet("/agent-tokens", ListTokensAsync).WithName("ListAgentTokens").WithSummary("Enrollment tokens (not their secrets)");
        discovery.MapPost("/agent-tokens", CreateTokenAsync).WithName("CreateAgentToken")
            .WithSummary("An enrollment token for the agents of a zone; its secret is shown once");
        discovery.MapPost("/agent-tokens/{id:long}/revoke", RevokeTokenAsync).WithName("RevokeAgentToken").WithSummary("Revoke an enrollment token");

        AgentProtocolEndpoints.Map(app);
        return app;
    }

    private static async Task<Ok<DiscoverySettingsDto>> GetSettingsAsync(DiscoverySettingsService settings, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.GetAsync(access, cancellationToken));

    private static async Task<Ok<DiscoverySettingsDto>> UpdateSettingsAsync(DiscoverySettingsInput input, DiscoverySettingsService settings, AccessScope access,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await settings.UpdateAsync(access, input, cancellationToken));

    private static async Task<Ok<IReadOnlyList<ScanDefinitionDto>>> ListScansAsync(ScanDefinitionService scans, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await scans.ListAsync(access, cancellationToken));

    private static async Task<Created<ScanDefinitionDto>> CreateScanAsync(ScanDefinitionInput input, ScanDefinitionService scans, AccessScope access,
        CancellationToken cancellationToken)
    {
        var created = await scans.CreateAsync(access, input, cancellationToken);
        return TypedResults.Created($"/api/v1/discovery/scans/{created.Id}", created);
    }

    private static async Task<Ok<ScanDefinitionDto>> GetScanAsync(long id, ScanDefinitionService scans, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await scans.GetAsync(access, id, cancellationToken));

    private static async Task<Ok<ScanDefinitionDto>> UpdateScanAsync(long id, ScanDefinitionInput input, ScanDefinitionService scans, AccessScope access,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await scans.UpdateAsync(access, id, input, cancellationToken));

    private static async Task<NoContent> DeleteScanAsync(long id, ScanDefinitionService scans, AccessScope access, CancellationToken cancellationToken)
    {
        await scans.DeleteAsync(access, id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Accepted<ScanRunDto>> RunScanAsync(long id, ScanDefinitionService scans, AccessScope access, CancellationToken cancellationToken)
    {
        var run = await scans.RunNowAsync(access, id, cancellationToken);
        return TypedResults.Accepted($"/api/v1/discovery/runs/{run.Id}", run);
    }

    private static async Task<Ok<IReadOnlyList<ScanRunDto>>> ListRunsAsync(ScanRunService runs, AccessScope access, CancellationToken cancellationToken,
        long? scan = null, int limit = 50) =>
        TypedResults.Ok(await runs.ListAsync(access, scan, limit, cancellationToken));

    private static async Task<Ok<ScanRunDto>> GetRunAsync(long id, ScanRunService runs, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await runs.GetAsync(access, id, cancellationToken));

    private static async Task<Ok<ScanRunDto>> CancelRunAsync(long id, ScanRunService runs, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await runs.CancelAsync(access, id, cancellationToken));

    private static async Task<Created<ScanRunDto>> UploadAsync(ScanUploadInput input, ScanRunService runs, AccessScope access, CancellationToken cancellationToken)
    {
        var run = await runs.UploadAsync(access, input, cancellationToken);
        return TypedResults.Created($"/api/v1/discovery/runs/{run.Id}", run);
    }

    private static async Task<Ok<EndpointPage>> ListEndpointsAsync(EndpointService endpoints, AccessScope access, CancellationToken cancellationToken,
        string? q = null, bool? rogue = null, bool? active = null, string? problem = null, long? division = null, long? run = null, string? cursor = null,
        int limit = 100) =>
        TypedResults.Ok(await endpoints.ListAsync(access, new EndpointQuery(q, rogue, active, problem, division, run), cursor, limit, cancellationToken));

    private static async Task<Ok<EndpointDetailDto>> GetEndpointAsync(long id, EndpointService endpoints, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await endpoints.GetAsync(access, id, cancellationToken));

    private static async Task<Ok<IReadOnlyList<DiscoveryChangeDto>>> ListChangesAsync(EndpointService endpoints, AccessScope access, CancellationToken cancellationToken,
        long? run = null, string? kind = null, int limit = 200) =>
        TypedResults.Ok(await endpoints.ListChangesAsync(access, run, kind, limit, cancellationToken));

    private static async Task<Ok<IReadOnlyList<AgentDto>>> ListAgentsAsync(AgentService agents, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.ListAgentsAsync(access, cancellationToken));

    private static async Task<Ok<AgentDto>> DisableAgentAsync(long id, AgentService agents, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.SetDisabledAsync(access, id, true, cancellationToken));

    private static async Task<Ok<AgentDto>> EnableAgentAsync(long id, AgentService agents, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.SetDisabledAsync(access, id, false, cancellationToken));

    private static async Task<Ok<IReadOnlyList<EnrollmentTokenDto>>> ListTokensAsync(AgentService agents, AccessScope access, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.ListTokensAsync(access, cancellationToken));

    private static async Task<Created<CreatedEnrollmentTokenDto>> CreateTokenAsync(EnrollmentTokenInput input, AgentService agents, AccessScope access,
        CancellationToken cancellationToken)
    {
        var created = await agents.CreateTokenAsync(access, input, cancellationToken);
        return TypedResults.Created($"/api/v1/discovery/agent-tokens/{created.Token.Id}", created);
    }

    private static async Task<NoContent> RevokeTokenAsync(long id, AgentService agents, AccessScope access, CancellationToken cancellationToken)
    {
        await agents.RevokeTokenAsync(access, id, cancellationToken);
        return TypedResults.NoContent();
    }
}
