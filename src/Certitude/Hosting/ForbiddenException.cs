namespace Certitude.Hosting;

/// <summary>The caller is known but may not do this; becomes a 403 problem.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
