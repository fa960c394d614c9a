using Certitude.Pki.Tests.Support;

[assembly: AssemblyFixture(typeof(IssuedChains))]
