using Microsoft.AspNetCore.Http.HttpResults;

namespace Certitude.Features.Discovery;

/// <summary>
/// What <c>certitude agent</c> talks to: register with an enrollment token, then lease chunks of its zone, send
/// results (each batch also renews the lease) and complete. Authenticated by the agent's own credential, not a user's.
/// </summary>
internal static class AgentProtocolEndpoints
{
    /// <summary>The agent's version, sent with every call and shown in the UI.</summary>
    public const string VersionHeader = "X-Certitude-Agent-Version";

    public static void Map(IEndpointRouteBuilder app)
    {
        var agent = app.MapGroup("/api/v1/agent").WithTags("Scan agents").AllowAnonymous();
        agent.MapPost("/register", RegisterAsync).WithName("RegisterAgent").WithSummary("Trade an enrollment token for the agent's credential (shown once)");
        agent.MapPost("/lease", LeaseAsync).WithName("LeaseChunk").WithSummary("The next chunk of the agent's zone, or 204 when there is no work");
        agent.MapPost("/chunks/{id:long}/results", ResultsAsync).WithName("SubmitChunkResults")
            .WithSummary("Results of a leased chunk (idempotent); renews the lease");
        agent.MapPost("/chunks/{id:long}/complete", CompleteAsync).WithName("CompleteChunk").WithSummary("The chunk is done");
    }

    private static async Task<Ok<AgentRegistrationDto>> RegisterAsync(AgentRegistrationInput input, AgentService agents, HttpContext context,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.RegisterAsync(input, context.Connection.RemoteIpAddress?.ToString(), cancellationToken));

    private static async Task<Results<Ok<ChunkLeaseDto>, NoContent>> LeaseAsync(AgentService agents, ScanRunService runs, HttpContext context,
        CancellationToken cancellationToken)
    {
        var agent = await AuthenticateAsync(agents, context, cancellationToken);
        return await runs.LeaseAsync(agent.Zone, $"agent:{agent.Id}", cancellationToken) is { } lease
            ? TypedResults.Ok(lease)
            : TypedResults.NoContent();
    }

    private static async Task<Ok<LeaseStatusDto>> ResultsAsync(long id, ChunkResultsInput input, AgentService agents, ScanRunService runs, HttpContext context,
        CancellationToken cancellationToken)
    {
        await AuthenticateAsync(agents, context, cancellationToken);
        return TypedResults.Ok(await runs.SubmitResultsAsync(id, input.LeaseToken, input.Results ?? [], cancellationToken));
    }

    private static async Task<Ok<LeaseStatusDto>> CompleteAsync(long id, ChunkCompletionInput input, AgentService agents, ScanRunService runs, HttpContext context,
        CancellationToken cancellationToken)
    {
        await AuthenticateAsync(agents, context, cancellationToken);
        return TypedResults.Ok(await runs.CompleteChunkAsync(id, input.LeaseToken, input.ProbedEndpoints, cancellationToken));
    }

    private static Task<ScanAgent> AuthenticateAsync(AgentService agents, HttpContext context, CancellationToken cancellationToken) =>
        agents.AuthenticateAsync(context.Request.Headers.Authorization.ToString(), context.Connection.RemoteIpAddress?.ToString(),
            context.Request.Headers[VersionHeader].ToString(), cancellationToken);
}
