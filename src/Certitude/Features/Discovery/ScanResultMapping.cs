using Certitude.Tls.Probing;
using Certitude.Tls.Scanning;

namespace Certitude.Features.Discovery;

/// <summary>From the scanner's results to the wire format (<see cref="ScanResultDto"/>) and its names.</summary>
public static class ScanResultMapping
{
    extension(ScanResultDto)
    {
        /// <summary>The wire form of one endpoint's result: chains as base64 DER, names in lower case.</summary>
        public static ScanResultDto From(EndpointScanResult result)
        {
            ArgumentNullException.ThrowIfNull(result);
            var endpoint = result.Endpoint;
            var tls = result.Tls;
            return new ScanResultDto(
                endpoint.Address.ToString(),
                endpoint.Port,
                endpoint.HostName,
                endpoint.StartTls.ToString().ToLowerInvariant(),
                tls is null ? null : ProtocolName(tls.Protocol),
                tls?.CipherSuite,
                tls?.ServerSupportsTls13 ?? false,
                tls is null ? [] : [.. tls.Chain.Select(Convert.ToBase64String)],
                result.WithoutSni is { } withoutSni ? [.. withoutSni.Chain.Select(Convert.ToBase64String)] : null,
                tls?.HandshakeTime.TotalMilliseconds,
                result.Failure is { } failure ? FailureCode(failure) : null,
                result.Error,
                result.ScannedAt);
        }
    }

    /// <summary>"SSLv3", "TLSv1.0" ... "TLSv1.3", as OpenSSL names them.</summary>
    public static string ProtocolName(TlsProtocolVersion protocol) => protocol switch
    {
        TlsProtocolVersion.Ssl30 => "SSLv3",
        TlsProtocolVersion.Tls10 => "TLSv1.0",
        TlsProtocolVersion.Tls11 => "TLSv1.1",
        TlsProtocolVersion.Tls12 => "TLSv1.2",
        TlsProtocolVersion.Tls13 => "TLSv1.3",
        _ => FormattableString.Invariant($"0x{(ushort)protocol:x4}"),
    };

    /// <summary>The lower-case name of the failure ("timeout", "starttlsrefused", "nottls", ...).</summary>
    public static string FailureCode(EndpointFailure failure) => failure.ToString().ToLowerInvariant();
}
