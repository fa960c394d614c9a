using Certitude.Bench.PkiMicro;

// bench/pki-micro: CPU per step of issuing a certificate for an EC P-256 CSR, in process, one thread. Usually started
// by ./run, which builds in Release.
return IssuanceMicroBenchmark.Run(MicroSettings.Parse(args));
