namespace Certitude.Hosting;

/// <summary>The thing asked for does not exist (or the caller may not know it does); becomes a 404 problem.</summary>
public sealed class NotFoundException(string message) : Exception(message);
