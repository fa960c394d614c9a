using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Certitude.Cli;
using Microsoft.AspNetCore.Mvc;

namespace Certitude.Features.Discovery.Cli;

/// <summary>
/// The agent side of the agent protocol (<see cref="AgentProtocolEndpoints"/>). Failures the agent should wait out
/// (no connection, a timeout, 5xx, 429) become <see cref="AgentUnavailableException"/>; refusals that waiting will not
/// fix (a bad token or credential, invalid input) become <see cref="CliException"/>.
/// </summary>
internal sealed class AgentClient : IDisposable
{
    private const string RefusedCredential =
        "The server refused the agent's credential: the agent was disabled or is unknown there. Enable it again, or delete the state file and register with a new enrollment token.";

    private readonly HttpClient _http;

    public AgentClient(Uri server, string version)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Add(AgentProtocolEndpoints.VersionHeader, version);
    }

    public async Task<AgentRegistrationDto> RegisterAsync(AgentRegistrationInput input, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "api/v1/agent/register", input, null,
            "The server refused the enrollment token: it is invalid, expired or revoked. Ask an administrator for a new one.", cancellationToken);
        return await ReadAsync<AgentRegistrationDto>(response, cancellationToken);
    }

    /// <summary>The next chunk of the agent's zone with the lease's length by the server's clock, or null when there is no work.</summary>
    public async Task<(ChunkLeaseDto Lease, TimeSpan Length)?> LeaseAsync(string credential, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, "api/v1/agent/lease", null, credential, RefusedCredential, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        var lease = await ReadAsync<ChunkLeaseDto>(response, cancellationToken);
        return (lease, LengthOf(lease.LeaseExpiresAt, response));
    }

    public async Task<LeaseStatusDto> SubmitAsync(string credential, long chunkId, ChunkResultsInput input, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/v1/agent/chunks/{chunkId}/results", input, credential, RefusedCredential, cancellationToken);
        return await ReadAsync<LeaseStatusDto>(response, cancellationToken);
    }

    public async Task<LeaseStatusDto> CompleteAsync(string credential, long chunkId, ChunkCompletionInput input, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"api/v1/agent/chunks/{chunkId}/complete", input, credential, RefusedCredential, cancellationToken);
        return await ReadAsync<LeaseStatusDto>(response, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// How long a lease lasts, measured against the server's own Date header: the agent's clock may differ from the
    /// server's, the length does not.
    /// </summary>
    private static TimeSpan LengthOf(DateTimeOffset expires, HttpResponseMessage response)
    {
        var now = response.Headers.Date ?? DateTimeOffset.UtcNow;
        var length = expires - now;
        return length > TimeSpan.Zero ? length : TimeSpan.FromSeconds(5);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string? credential, string unauthorized,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: RemoteApi.Json);
        }

        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new AgentUnavailableException($"cannot reach {_http.BaseAddress}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentUnavailableException($"{_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500 || response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout)
            {
                throw new AgentUnavailableException($"the server answered {status} {response.ReasonPhrase}");
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new CliException(unauthorized, ExitCodes.Unavailable);
            }

            string? detail = null;
            try
            {
                var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(RemoteApi.Json, cancellationToken);
                detail = problem?.Detail ?? problem?.Title;
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                // Not a problem document: the status line says enough.
            }

            throw new CliException($"The server answered {status}: {detail ?? response.ReasonPhrase}",
                response.StatusCode == HttpStatusCode.BadRequest ? ExitCodes.UsageError : ExitCodes.Unavailable);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(RemoteApi.Json, cancellationToken)
                ?? throw new AgentUnavailableException("the server sent an empty answer");
        }
        catch (JsonException e)
        {
            throw new AgentUnavailableException($"the server sent an answer that is not the agent protocol: {e.Message}");
        }
    }
}
