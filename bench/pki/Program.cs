using Certitude.Bench.Pki;

// bench/pki: issuance through the REST API next to `openssl speed ecdsap256`, and the OCSP responder next to
// `openssl ocsp -index`. Usually started by ./run, which builds in Release and isolates the network.
return await PkiBenchmark.RunAsync(BenchSettings.Parse(args), CancellationToken.None);
