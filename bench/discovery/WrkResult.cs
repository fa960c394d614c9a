namespace Certitude.Bench.Discovery;

/// <summary>One wrk run against one fixture address: requests (each a full handshake), errors, requests on a resumed session, nginx's CPU seconds.</summary>
internal sealed record WrkResult(string Address, string KeyType, long Requests, double Seconds, long Errors, long Resumed, double NginxCpuSeconds)
{
    public double Rate => Requests / Seconds;

    /// <summary>nginx's CPU per handshake, in milliseconds: with both cores to itself it could do 2000 / this many per second.</summary>
    public double NginxCpuMilliseconds => NginxCpuSeconds * 1000 / Requests;
}
