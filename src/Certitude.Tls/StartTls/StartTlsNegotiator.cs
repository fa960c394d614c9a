namespace Certitude.Tls.StartTls;

/// <summary>Temporary.</summary>
public static class StartTlsNegotiator
{
    /// <summary>Temporary.</summary>
    public static Task NegotiateAsync(Stream stream, StartTlsProtocol protocol, string? serverName, CancellationToken cancellationToken) =>
        protocol == StartTlsProtocol.None ? Task.CompletedTask : throw new NotSupportedException("placeholder until helper/starttls merges");
}
