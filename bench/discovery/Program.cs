using Certitude.Bench.Discovery;

// bench/discovery: `certitude scan` next to `nmap --script ssl-cert` on the same nginx fixture, in the same run,
// with that nginx's full-handshake ceiling (wrk) and a closed-port /16 sweep. Usually started by ./run, which builds
// in Release and isolates the network.
return await DiscoveryBenchmark.RunAsync(BenchSettings.Parse(args), CancellationToken.None);
