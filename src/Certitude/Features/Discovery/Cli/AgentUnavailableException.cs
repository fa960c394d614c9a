namespace Certitude.Features.Discovery.Cli;

/// <summary>The server could not be reached or answered with a temporary failure: the agent waits and tries again.</summary>
internal sealed class AgentUnavailableException(string message) : Exception(message);
