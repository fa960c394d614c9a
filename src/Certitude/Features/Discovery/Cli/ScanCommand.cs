using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Certitude.Cli;
using Certitude.Tls.Scanning;
using Certitude.Tls.StartTls;
using Certitude.Tls.Targets;
using Certitude.Tls.Validation;
using Spectre.Console;

namespace Certitude.Features.Discovery.Cli;

/// <summary>
/// <c>certitude scan TARGET... [-p PORTS] [--exclude TARGET]...</c>: scans from this machine and prints every TLS
/// endpoint found with its certificate and ChainCheck's findings; with --server, uploads the results afterwards.
/// </summary>
internal static class ScanCommand
{
    private const string UploadPath = "api/v1/discovery/uploads";

    public static Command Create()
    {
        var targets = new Argument<string[]>("targets")
        {
            Description = "Addresses, CIDR ranges (10.0.0.0/24), address ranges (10.0.0.5-10.0.0.80), host names, host:port or [IPv6]:port",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var ports = new Option<string?>("--ports", "-p")
        {
            Description = "Ports, e.g. 443,8443,8000-8010,2525/smtp (default: HTTPS, LDAPS, IMAPS, POP3S, SMTPS and the STARTTLS services)",
        };
        var exclude = new Option<string[]>("--exclude") { Description = "An address or range never to scan; repeat for several", AllowMultipleArgumentsPerToken = false };
        var concurrency = new Option<int>("--concurrency") { Description = "Connections in flight at once", DefaultValueFactory = _ => 512 };
        var perHost = new Option<int>("--per-host") { Description = "Connections in flight at once to one address", DefaultValueFactory = _ => 4 };
        var connectTimeout = new Option<int>("--connect-timeout") { Description = "TCP connect timeout, milliseconds", DefaultValueFactory = _ => 3000 };
        var handshakeTimeout = new Option<int>("--handshake-timeout") { Description = "STARTTLS and TLS handshake timeout, milliseconds", DefaultValueFactory = _ => 8000 };
        var retries = new Option<int>("--retries") { Description = "Further attempts after a timeout or reset (0-5)", DefaultValueFactory = _ => 1 };
        var expiringDays = new Option<int>("--expiring-days") { Description = "Certificates ending within this many days are reported as expiring", DefaultValueFactory = _ => 30 };
        var dnsServer = new Option<string?>("--dns-server")
        {
            Description = "Resolve host names by asking this DNS server (address[:port]) instead of the system resolver",
        };
        var division = new Option<long?>("--division") { Description = "With --server: division id for endpoints outside every division's IP ranges" };
        var command = new Command("scan", "Find TLS endpoints and their certificates from this machine; --server uploads the results")
        {
            targets, ports, exclude, CommonOptions.Format, concurrency, perHost, connectTimeout, handshakeTimeout, retries, expiringDays, dnsServer, division,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var errors = new List<string>();
            void Check(bool ok, string message)
            {
                if (!ok)
                {
                    errors.Add(message);
                }
            }

            Check(parse.GetValue(concurrency) is >= 1 and <= 20_000, "--concurrency must be between 1 and 20000.");
            Check(parse.GetValue(perHost) >= 1, "--per-host must be at least 1.");
            Check(parse.GetValue(connectTimeout) >= 10, "--connect-timeout must be at least 10 ms.");
            Check(parse.GetValue(handshakeTimeout) >= 10, "--handshake-timeout must be at least 10 ms.");
            Check(parse.GetValue(retries) is >= 0 and <= 5, "--retries must be between 0 and 5.");
            Check(parse.GetValue(expiringDays) >= 0, "--expiring-days must be 0 or more.");

            RemoteApi? remote = null;
            try
            {
                remote = CliTarget.Remote(parse);
            }
            catch (CliException e)
            {
                errors.Add(e.Message);
            }

            Check(remote is not null || parse.GetValue(division) is null, "--division only applies with --server.");
            IPEndPoint? dnsEndpoint = null;
            Check(parse.GetValue(dnsServer) is not { } dns || DnsServerResolver.TryParseServer(dns, out dnsEndpoint),
                "--dns-server must be an IP address, optionally with a port (10.0.0.53, [2001:db8::53]:53).");

            var targetItems = parse.GetValue(targets) ?? [];
            var portList = parse.GetValue(ports);
            var exclusions = parse.GetValue(exclude) ?? [];

            // An upload must pass the server's limit on items, so the same limit applies before the scan starts.
            var limits = remote is null ? TargetLimits.Default : TargetLimits.Default with { MaxItems = DiscoveryLimits.MaxTargetItems };
            ScanTargets? scanTargets = null;
            try
            {
                scanTargets = TargetParser.Parse(targetItems, portList, exclusions, limits);
            }
            catch (TargetSyntaxException e)
            {
                errors.AddRange(e.Errors);
            }

            if (errors.Count > 0 || scanTargets is null)
            {
                remote?.Dispose();
                foreach (var error in errors)
                {
                    Output.Error(error);
                }

                return ExitCodes.UsageError;
            }

            using (remote)
            {
                var options = new ScannerOptions
                {
                    Concurrency = parse.GetValue(concurrency),
                    MaxConnectionsPerHost = parse.GetValue(perHost),
                    ConnectTimeout = TimeSpan.FromMilliseconds(parse.GetValue(connectTimeout)),
                    HandshakeTimeout = TimeSpan.FromMilliseconds(parse.GetValue(handshakeTimeout)),
                    Retries = parse.GetValue(retries),
                };
                var settings = new ScanSettings(scanTargets, options, TimeSpan.FromDays(parse.GetValue(expiringDays)),
                    parse.GetValue(CommonOptions.Format), remote is not null);
                var uploads = await RunAsync(settings, HostNameResolvers.Create(dnsEndpoint), cancellationToken);
                if (remote is not null)
                {
                    await UploadAsync(remote, new UploadScope(targetItems, portList, exclusions, parse.GetValue(division)), uploads, cancellationToken);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<List<ScanResultDto>> RunAsync(ScanSettings settings, IHostNameResolver resolver, CancellationToken cancellationToken)
    {
        var (resolved, unresolved) = await ResolveAsync(settings.Targets, resolver, cancellationToken);
        var total = settings.Targets.AddressEndpointCount;
        foreach (var host in settings.Targets.Hosts)
        {
            if (resolved.TryGetValue(host.Name, out var addresses))
            {
                total += (ulong)(addresses.Count(a => !settings.Targets.IsExcluded(a)) * (host.Port is null ? settings.Targets.Ports.Count : 1));
            }
        }

        var rows = new List<(IPAddress? Address, ScanRow Row)>();
        foreach (var host in unresolved)
        {
            rows.Add((null, host));
        }

        var uploads = new List<ScanResultDto>();
        var counters = new ScanCounters();
        var started = TimeProvider.System.GetTimestamp();
        var jsonOut = settings.Format == OutputFormat.Json ? new JsonRowWriter() : null;
        var checks = new ChainCheckCache(TimeProvider.System.GetUtcNow(), settings.ExpiringWindow);
        try
        {
            if (jsonOut is not null)
            {
                foreach (var (_, row) in rows)
                {
                    await jsonOut.WriteAsync(row, cancellationToken);
                }
            }

            async Task ScanAsync()
            {
                var scanner = new TlsScanner(settings.Options);
                await foreach (var result in scanner.ScanAsync(settings.Targets.Endpoints(resolved), counters, cancellationToken))
                {
                    var row = ToRow(result, checks);
                    if (settings.Upload)
                    {
                        uploads.Add(ScanResultDto.From(result));
                    }

                    if (jsonOut is not null)
                    {
                        await jsonOut.WriteAsync(row, cancellationToken);
                    }
                    else
                    {
                        rows.Add((result.Endpoint.Address, row));
                    }
                }
            }

            // A live bar only where it cannot tangle with rows streaming to the same terminal.
            var liveBar = !Console.IsErrorRedirected && (jsonOut is null || Console.IsOutputRedirected);
            await ScanProgress.RunAsync(ScanAsync(), counters, total, liveBar);
        }
        finally
        {
            // Even a cancelled scan leaves well-formed JSON behind.
            if (jsonOut is not null)
            {
                await jsonOut.DisposeAsync();
            }
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Scanned {counters.Done} endpoints in {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.0} s: {counters.Open} open, {counters.Certificates} with a certificate, {counters.Errors} errors{(unresolved.Count > 0 ? $", {unresolved.Count} host names did not resolve" : "")}."));

        rows.Sort(CompareRows);
        switch (settings.Format)
        {
            case OutputFormat.Csv:
                WriteCsv(rows.Select(r => r.Row));
                break;
            case OutputFormat.Table:
                WriteTable(rows.Select(r => r.Row).ToList());
                break;
        }

        return uploads;
    }

    private static async Task<(Dictionary<string, IReadOnlyList<IPAddress>> Resolved, List<ScanRow> Unresolved)> ResolveAsync(
        ScanTargets targets, IHostNameResolver resolver, CancellationToken cancellationToken)
    {
        var (resolved, errors) = await HostNameResolution.ResolveAsync(targets, resolver, cancellationToken);
        var unresolved = targets.Hosts
            .Where(h => errors.ContainsKey(h.Name))
            .Select(h => new ScanRow(null, h.Port?.Port, h.Name, (h.Port?.StartTls ?? StartTlsProtocol.None).ToString().ToLowerInvariant(), "error",
                null, null, null, null, null, null, null, [], ["does-not-resolve"], null, errors[h.Name], null))
            .ToList();
        return (resolved, unresolved);
    }

    private static ScanRow ToRow(EndpointScanResult result, ChainCheckCache checks)
    {
        var endpoint = result.Endpoint;
        var address = endpoint.Address.ToString();
        var startTls = endpoint.StartTls.ToString().ToLowerInvariant();
        if (result.Tls is not { } tls)
        {
            var failure = result.Failure is { } f ? ScanResultMapping.FailureCode(f) : "error";
            return new ScanRow(address, endpoint.Port, endpoint.HostName, startTls, "error", null, null, null, null, null, null, null, [],
                [failure], null, result.Error, null);
        }

        var report = checks.Evaluate(tls.Chain, endpoint.HostName);
        var hashes = tls.Chain.Select(der => Convert.ToHexStringLower(SHA256.HashData(der))).ToList();
        var trust = report.Subject is null ? null : report.Trust.ToString().ToLowerInvariant();
        return new ScanRow(address, endpoint.Port, endpoint.HostName, startTls, "tls", ScanResultMapping.ProtocolName(tls.Protocol), tls.CipherSuite,
            tls.ServerSupportsTls13, report.Subject, report.Issuer, report.NotAfter, hashes.FirstOrDefault(), hashes, report.Problems, trust, null,
            Math.Round(tls.HandshakeTime.TotalMilliseconds, 2));
    }

    /// <summary>By address (IPv4 before IPv6, numerically), then port, then host name; unresolved names last.</summary>
    private static int CompareRows((IPAddress? Address, ScanRow Row) x, (IPAddress? Address, ScanRow Row) y)
    {
        if (x.Address is null || y.Address is null)
        {
            return x.Address is null && y.Address is null
                ? string.CompareOrdinal(x.Row.HostName, y.Row.HostName)
                : x.Address is null ? 1 : -1;
        }

        var family = x.Address.AddressFamily.CompareTo(y.Address.AddressFamily);
        if (family != 0)
        {
            return family;
        }

        var bytes = x.Address.GetAddressBytes().AsSpan().SequenceCompareTo(y.Address.GetAddressBytes());
        if (bytes != 0)
        {
            return bytes;
        }

        var port = Nullable.Compare(x.Row.Port, y.Row.Port);
        return port != 0 ? port : string.CompareOrdinal(x.Row.HostName, y.Row.HostName);
    }

    private static void WriteCsv(IEnumerable<ScanRow> rows)
    {
        var stdout = Console.Out;
        stdout.WriteLine(Output.CsvRow("address", "port", "hostName", "startTls", "state", "protocol", "cipherSuite", "supportsTls13", "subject",
            "issuer", "notAfter", "sha256", "chain", "problems", "trust", "error", "handshakeMs"));
        foreach (var r in rows)
        {
            stdout.WriteLine(Output.CsvRow(r.Address, r.Port, r.HostName, r.StartTls, r.State, r.Protocol, r.CipherSuite,
                r.SupportsTls13 is { } tls13 ? (tls13 ? "true" : "false") : null, r.Subject, r.Issuer, r.NotAfter, r.Sha256,
                string.Join(';', r.Chain), string.Join(';', r.Problems), r.Trust, r.Error, r.HandshakeMs));
        }
    }

    private static void WriteTable(List<ScanRow> rows)
    {
        if (rows.Count == 0)
        {
            Console.Out.WriteLine("No TLS endpoints found.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Endpoint", "Subject", "Issuer", "Expires", "Problems");
        foreach (var r in rows)
        {
            table.AddRow(
                Markup.Escape(EndpointText(r)),
                Markup.Escape(r.Subject ?? ""),
                Markup.Escape(r.Issuer ?? ""),
                r.NotAfter?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                r.State == "error" ? $"[red]{Markup.Escape(r.Error ?? string.Join(", ", r.Problems))}[/]" : Markup.Escape(string.Join(", ", r.Problems)));
        }

        // Redirected output has no terminal width: let rows run long rather than wrap distinguished names mid-word.
        var console = Console.IsOutputRedirected
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors })
            : Output.Stdout;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 1000;
        }

        console.Write(table);
    }

    private static string EndpointText(ScanRow r)
    {
        var address = r.Address is null ? null : r.Address.Contains(':', StringComparison.Ordinal) ? $"[{r.Address}]" : r.Address;
        var text = (address, r.Port) switch
        {
            (null, null) => r.HostName ?? "",
            (null, { } port) => FormattableString.Invariant($"{r.HostName}:{port}"),
            ({ } a, var port) => FormattableString.Invariant($"{a}:{port}") + (r.HostName is null ? "" : $" ({r.HostName})"),
        };
        return r.StartTls == "none" ? text : $"{text} {r.StartTls}";
    }

    private static async Task UploadAsync(RemoteApi api, UploadScope scope, List<ScanResultDto> results, CancellationToken cancellationToken)
    {
        // The server records each upload as one finished run over the given targets, in which endpoints that did not
        // answer count as gone. A scan with more results than one upload takes is sent in batches, one run each, so
        // every batch but the last sees the others' endpoints as missing until the next scan.
        var batches = results.Count == 0 ? [[]] : results.Chunk(DiscoveryLimits.MaxResultsPerUpload).ToList();
        if (batches.Count > 1)
        {
            Console.Error.WriteLine($"warning: {results.Count} results exceed {DiscoveryLimits.MaxResultsPerUpload} per upload; sending {batches.Count} uploads, each recorded as its own run.");
        }

        foreach (var batch in batches)
        {
            var input = new ScanUploadInput(scope.Targets, scope.Ports, scope.Exclusions, scope.DivisionId, batch);
            var reply = await api.SendForBytesAsync(
                new HttpRequestMessage(HttpMethod.Post, UploadPath) { Content = JsonContent.Create(input, options: RemoteApi.Json) }, cancellationToken);
            Console.Error.WriteLine(DescribeReply(reply, batch.Length));
        }
    }

    /// <summary>The run id and counts the server returns (a ScanRunDto), when it returns them; other ids are left out.</summary>
    private static string DescribeReply(byte[] reply, int count)
    {
        var uploaded = $"Uploaded {count} results";
        try
        {
            using var document = JsonDocument.Parse(reply);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return uploaded + ".";
            }

            string? run = null;
            var counts = new List<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name is "runId" or "id" && property.Value.ValueKind is JsonValueKind.Number or JsonValueKind.String)
                {
                    run ??= property.Value.ToString();
                }
                else if (property.Value.ValueKind == JsonValueKind.Number && !property.Name.EndsWith("Id", StringComparison.Ordinal))
                {
                    counts.Add($"{property.Name} {property.Value}");
                }
            }

            return uploaded + (run is null ? "" : $": run {run}") + (counts.Count == 0 ? "" : $" ({string.Join(", ", counts)})") + ".";
        }
        catch (JsonException)
        {
            return uploaded + ".";
        }
    }

    private sealed record ScanSettings(ScanTargets Targets, ScannerOptions Options, TimeSpan ExpiringWindow, OutputFormat Format, bool Upload);

    private sealed record UploadScope(IReadOnlyList<string> Targets, string? Ports, IReadOnlyList<string> Exclusions, long? DivisionId);
}
