using Certitude.Cli;

// One executable: `certitude serve` runs the server; every other verb is the command-line tool.
return await CertitudeCli.RunAsync(args);
