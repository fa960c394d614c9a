namespace Certitude.Features.Discovery;

/// <summary>
/// Results of a scan run elsewhere (<c>certitude scan --server</c>): the server records them as a finished run over
/// the given targets, so that endpoints inside the targets that did not answer count as gone.
/// </summary>
/// <param name="Targets">The targets as given to the scan (checked against the allowed discovery ranges).</param>
/// <param name="Ports">The port list as given (null: the default ports).</param>
/// <param name="Exclusions">Excluded addresses and ranges.</param>
/// <param name="DivisionId">Division for endpoints outside every division's IP ranges; null: the organization (root).</param>
/// <param name="Results">Every endpoint that accepted a connection (at most <see cref="DiscoveryLimits.MaxResultsPerUpload"/>).</param>
public sealed record ScanUploadInput(
    IReadOnlyList<string> Targets,
    string? Ports,
    IReadOnlyList<string>? Exclusions,
    long? DivisionId,
    IReadOnlyList<ScanResultDto> Results);
