using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Reflection;
using Certitude.Cli;
using Certitude.Hosting;
using Certitude.Tls.Scanning;
using Certitude.Tls.Targets;

namespace Certitude.Features.Discovery.Cli;

/// <summary>
/// <c>certitude agent --server URL --token TOKEN --zone NAME</c>: scans for a server from inside a network zone it cannot
/// reach. Registers once (the credential goes to the state file), then leases the zone's chunks, scans each with the
/// server's own <see cref="ChunkScanner"/>, streams the results back and completes the chunk. A chunk it does not
/// finish (killed, stopped, cut off) goes back to the queue when its lease runs out.
/// </summary>
internal static class AgentCommand
{
    public const string TokenEnvironmentVariable = "CERTITUDE_AGENT_TOKEN";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    /// <summary>With --once, consecutive failures to reach the server before the agent gives up.</summary>
    private const int OnceAttempts = 5;

    public static Command Create()
    {
        var token = new Option<string?>("--token") { Description = $"Enrollment token (cte_...) for the first start (or {TokenEnvironmentVariable}); later starts use the state file" };
        var zone = new Option<string?>("--zone") { Description = "The network zone this agent scans (the token's zone)" };
        var name = new Option<string?>("--name") { Description = "The agent's name in the UI (default: this machine's name)" };
        var state = new Option<string>("--state") { Description = "State file holding the agent's credential", DefaultValueFactory = _ => "certitude-agent.json" };
        var poll = new Option<int>("--poll-seconds") { Description = "Seconds between asking for work when there is none", DefaultValueFactory = _ => 5 };
        var concurrency = new Option<int>("--concurrency") { Description = "Connections in flight at once", DefaultValueFactory = _ => 256 };
        var connectTimeout = new Option<int>("--connect-timeout") { Description = "TCP connect timeout, milliseconds", DefaultValueFactory = _ => 3000 };
        var handshakeTimeout = new Option<int>("--handshake-timeout") { Description = "STARTTLS and TLS handshake timeout, milliseconds", DefaultValueFactory = _ => 8000 };
        var dnsServer = new Option<string?>("--dns-server") { Description = "Resolve host names by asking this DNS server (address[:port]) instead of the system resolver" };
        var once = new Option<bool>("--once") { Description = "Exit when the zone has no work left instead of waiting for more" };
        var command = new Command("agent", "Scan for a Certitude server from a network zone: register once with an enrollment token, then lease and scan the zone's work")
        {
            token, zone, name, state, poll, concurrency, connectTimeout, handshakeTimeout, dnsServer, once,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            if (parse.GetValue(poll) is < 1 or > 3600)
            {
                errors.Add("--poll-seconds must be between 1 and 3600.");
            }

            if (parse.GetValue(concurrency) is < 1 or > 20_000)
            {
                errors.Add("--concurrency must be between 1 and 20000.");
            }

            if (parse.GetValue(connectTimeout) < 10 || parse.GetValue(handshakeTimeout) < 10)
            {
                errors.Add("--connect-timeout and --handshake-timeout must be at least 10 ms.");
            }

            System.Net.IPEndPoint? dnsEndpoint = null;
            if (parse.GetValue(dnsServer) is { } dns && !DnsServerResolver.TryParseServer(dns, out dnsEndpoint))
            {
                errors.Add("--dns-server must be an IP address, optionally with a port (10.0.0.53, [2001:db8::53]:53).");
            }

            string? zoneName = null;
            try
            {
                zoneName = ScanTargetRules.NormalizeZone(parse.GetValue(zone));
            }
            catch (DomainValidationException e)
            {
                errors.Add($"--zone: {e.Message}");
            }

            var statePath = parse.GetValue(state)!;
            var saved = AgentState.Load(statePath);
            var serverText = parse.GetValue(CommonOptions.Server) ?? Environment.GetEnvironmentVariable(CliTarget.ServerEnvironmentVariable) ?? saved?.Server;
            var tokenText = parse.GetValue(token) ?? Environment.GetEnvironmentVariable(TokenEnvironmentVariable);
            Uri? server = null;
            if (string.IsNullOrWhiteSpace(serverText))
            {
                errors.Add("--server URL is required (the Certitude server the agent works for).");
            }
            else if (!Uri.TryCreate(serverText.TrimEnd('/') + "/", UriKind.Absolute, out server) || server.Scheme is not ("http" or "https"))
            {
                errors.Add($"--server must be an http(s) URL, not '{serverText}'.");
            }

            if (saved is null)
            {
                if (string.IsNullOrWhiteSpace(tokenText))
                {
                    errors.Add($"--token ENROLLMENT_TOKEN (or {TokenEnvironmentVariable}) is required to register: {statePath} holds no registration yet.");
                }

                if (zoneName is null)
                {
                    errors.Add("--zone NAME is required to register.");
                }
            }
            else if (zoneName is not null && zoneName != saved.Zone)
            {
                errors.Add($"{statePath} is agent {saved.AgentId} of zone '{saved.Zone}', not '{zoneName}': use another --state file to register for another zone.");
            }

            if (errors.Count > 0 || server is null)
            {
                foreach (var error in errors)
                {
                    Output.Error(error);
                }

                return ExitCodes.UsageError;
            }

            if (server.Scheme == "http" && !IsLoopback(server))
            {
                Console.Error.WriteLine($"warning: {server} is plain http: the agent's credential and its results cross the network unencrypted. Use https.");
            }

            var version = Version();
            var settings = new AgentSettings(TimeSpan.FromSeconds(parse.GetValue(poll)), parse.GetValue(once), new ScannerOptions
            {
                Concurrency = parse.GetValue(concurrency),
                ConnectTimeout = TimeSpan.FromMilliseconds(parse.GetValue(connectTimeout)),
                HandshakeTimeout = TimeSpan.FromMilliseconds(parse.GetValue(handshakeTimeout)),
            }, HostNameResolvers.Create(dnsEndpoint));
            using var client = new AgentClient(server, version);
            try
            {
                if (saved is null)
                {
                    var input = new AgentRegistrationInput(tokenText!.Trim(), parse.GetValue(name) ?? Environment.MachineName, zoneName, version);
                    var registered = await WithRetriesAsync(ct => client.RegisterAsync(input, ct), settings, "registering", cancellationToken);
                    saved = new AgentState(server.ToString(), registered.AgentId, registered.Zone, input.Name!, registered.Credential);
                    saved.Save(statePath);
                    Console.Error.WriteLine($"Registered as agent {registered.AgentId} of zone '{registered.Zone}'; credential saved to {Path.GetFullPath(statePath)}.");
                }
                else
                {
                    Console.Error.WriteLine($"Agent {saved.AgentId} of zone '{saved.Zone}' (from {Path.GetFullPath(statePath)}).");
                }

                Console.Error.WriteLine($"Working for {server} as version {version}.");
                await RunAsync(client, saved.Credential, settings, cancellationToken);
                return ExitCodes.Success;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: a chunk in progress is abandoned and goes back to the queue when its lease ends.
                Console.Error.WriteLine("Stopped.");
                return ExitCodes.Success;
            }
        });
        return command;
    }

    private static async Task RunAsync(AgentClient client, string credential, AgentSettings settings, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await WithRetriesAsync(ct => client.LeaseAsync(credential, ct), settings, "asking for work", cancellationToken);
            if (next is not { } work)
            {
                if (settings.Once)
                {
                    Console.Error.WriteLine("No work left.");
                    return;
                }

                await Task.Delay(settings.Poll, cancellationToken);
                continue;
            }

            await ScanChunkAsync(client, credential, work.Lease, work.Length, settings, cancellationToken);
        }
    }

    private static async Task ScanChunkAsync(AgentClient client, string credential, ChunkLeaseDto lease, TimeSpan leaseLength, AgentSettings settings,
        CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        var leaseEnds = time.GetUtcNow() + leaseLength;
        var sent = 0;

        // Every handover renews the lease; one that cannot reach the server is retried until the lease would have run out
        // anyway, and then the chunk is given up (another scanner, or this one, takes it again later).
        async Task<T?> HandOverAsync<T>(Func<CancellationToken, Task<T>> send, CancellationToken ct)
            where T : class
        {
            for (var attempt = 0; ; attempt++)
            {
                var before = time.GetUtcNow();
                try
                {
                    var reply = await send(ct);
                    leaseEnds = before + leaseLength;
                    return reply;
                }
                catch (AgentUnavailableException e)
                {
                    var delay = Backoff(attempt);
                    if (time.GetUtcNow() + delay >= leaseEnds)
                    {
                        Console.Error.WriteLine($"chunk {lease.ChunkId}: {e.Message}; the lease ends before the server answers, giving the chunk up.");
                        return null;
                    }

                    Console.Error.WriteLine($"chunk {lease.ChunkId}: {e.Message}; trying again in {delay.TotalSeconds:0} s.");
                    await Task.Delay(delay, ct);
                }
            }
        }

        // A third of the lease between heartbeats leaves two chances before it runs out.
        var heartbeat = TimeSpan.FromTicks(Math.Clamp(leaseLength.Ticks / 3, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(60).Ticks));
        var scanner = new ChunkScanner(settings.Scanner, settings.Resolver, heartbeat);
        try
        {
            var probed = await scanner.ScanAsync(lease, async (batch, ct) =>
            {
                var status = await HandOverAsync(c => client.SubmitAsync(credential, lease.ChunkId, new ChunkResultsInput(lease.LeaseToken, batch), c), ct);
                if (status is { Held: true })
                {
                    Interlocked.Add(ref sent, batch.Count);
                }

                return status is { Held: true };
            }, cancellationToken);
            var completed = await HandOverAsync(c => client.CompleteAsync(credential, lease.ChunkId, new ChunkCompletionInput(lease.LeaseToken, probed), c),
                cancellationToken);
            Console.Error.WriteLine(completed is { Held: true }
                ? string.Create(CultureInfo.InvariantCulture,
                    $"chunk {lease.ChunkId} of run {lease.RunId}: {probed} endpoints probed, {sent} results sent in {time.GetElapsedTime(started).TotalSeconds:0.0} s.")
                : $"chunk {lease.ChunkId} of run {lease.RunId}: the lease was lost before the chunk was completed; another scanner has it.");
        }
        catch (LeaseLostException)
        {
            Console.Error.WriteLine($"chunk {lease.ChunkId} of run {lease.RunId}: the lease was lost ({sent} results sent); another scanner has it.");
        }
        catch (Exception e) when (e is not OperationCanceledException and not CliException)
        {
            // One chunk the agent cannot scan must not stop the agent: its lease runs out and the server hands it out again.
            Console.Error.WriteLine($"chunk {lease.ChunkId} of run {lease.RunId}: failed: {e.Message}");
        }
    }

    /// <summary>Runs <paramref name="action"/> until the server answers, waiting longer after each failure (with --once, up to a limit).</summary>
    private static async Task<T> WithRetriesAsync<T>(Func<CancellationToken, Task<T>> action, AgentSettings settings, string what,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await action(cancellationToken);
            }
            catch (AgentUnavailableException e)
            {
                if (settings.Once && attempt + 1 >= OnceAttempts)
                {
                    throw new CliException($"{what}: {e.Message}", ExitCodes.Unavailable);
                }

                var delay = Backoff(attempt);
                Console.Error.WriteLine($"{what}: {e.Message}; trying again in {delay.TotalSeconds:0} s.");
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>1, 2, 4, ... seconds, at most a minute, with some jitter so that many agents cut off together do not return together.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 1000 * Math.Pow(2, Math.Min(attempt, 10))) * (0.8 + (0.4 * Random.Shared.NextDouble())));

    private static bool IsLoopback(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.IdnHost, out var address) && IPAddress.IsLoopback(address));

    private static string Version() =>
        typeof(AgentCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AgentCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    private sealed record AgentSettings(TimeSpan Poll, bool Once, ScannerOptions Scanner, IHostNameResolver Resolver);
}
