namespace Certitude.Hosting;

/// <summary>The request conflicts with the current state; becomes a 409 problem.</summary>
public sealed class ConflictException(string message) : Exception(message);
