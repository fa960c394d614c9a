namespace Certitude.Tls.Targets;

/// <summary>Targets, ports or exclusions that cannot be scanned as written; <see cref="Errors"/> lists every problem.</summary>
public sealed class TargetSyntaxException(IReadOnlyList<string> errors)
    : Exception(errors.Count == 1 ? errors[0] : "Invalid targets: " + string.Join("; ", errors))
{
    /// <summary>One readable message per invalid item, naming the item.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
