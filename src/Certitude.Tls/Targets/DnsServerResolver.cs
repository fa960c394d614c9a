using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Certitude.Tls.Targets;

/// <summary>
/// Resolves host names by asking one DNS server directly (RFC 1035 over UDP, TCP when the answer is truncated) for A
/// and AAAA records — instead of the system resolver, whose queries may leave the network the scan is meant for.
/// CNAME chains inside the answer are followed by collecting every address record of the answer section.
/// </summary>
internal sealed class DnsServerResolver(IPEndPoint server, TimeSpan timeout) : IHostNameResolver
{
    private const ushort TypeA = 1;
    private const ushort TypeAaaa = 28;
    private const int MaxUdpAnswer = 4096;
    private const int MaxTcpAnswer = 65_535;

    /// <summary>Parses "10.0.0.53", "10.0.0.53:5353" or "[2001:db8::53]:53".</summary>
    public static bool TryParseServer(string text, out IPEndPoint endpoint)
    {
        if (IPEndPoint.TryParse(text, out var parsed) && parsed is not null)
        {
            endpoint = parsed.Port == 0 ? new IPEndPoint(parsed.Address, 53) : parsed;
            return true;
        }

        endpoint = null!;
        return false;
    }

    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string hostName, CancellationToken cancellationToken)
    {
        var ipv4 = QueryAsync(hostName, TypeA, cancellationToken);
        var ipv6 = QueryAsync(hostName, TypeAaaa, cancellationToken);
        var answers = await Task.WhenAll(ipv4, ipv6).ConfigureAwait(false);
        return [.. answers[0], .. answers[1]];
    }

    private async Task<List<IPAddress>> QueryAsync(string hostName, ushort type, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        var query = BuildQuery(id, hostName, type);
        try
        {
            var answer = await AskOverUdpAsync(query, id, deadline.Token).ConfigureAwait(false);
            if ((answer[2] & 0x02) != 0)
            {
                answer = await AskOverTcpAsync(query, deadline.Token).ConfigureAwait(false);
            }

            return ParseAnswer(answer, id, hostName, type);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SocketException((int)SocketError.TimedOut);
        }
    }

    private async Task<byte[]> AskOverUdpAsync(byte[] query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxUdpAnswer];
        while (true)
        {
            // A datagram with another id is a stray or a spoofing attempt: keep waiting for ours.
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (received >= 12 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id)
            {
                return buffer[..received];
            }
        }
    }

    private async Task<byte[]> AskOverTcpAsync(byte[] query, CancellationToken cancellationToken)
    {
        using var client = new TcpClient(server.AddressFamily);
        await client.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, cancellationToken).ConfigureAwait(false);
        var length = new byte[2];
        await stream.ReadExactlyAsync(length, cancellationToken).ConfigureAwait(false);
        var answer = new byte[Math.Min((int)BinaryPrimitives.ReadUInt16BigEndian(length), MaxTcpAnswer)];
        await stream.ReadExactlyAsync(answer, cancellationToken).ConfigureAwait(false);
        return answer;
    }

    /// <summary>RFC 1035 §4.1: header (recursion desired), one question of the given type, class IN.</summary>
    internal static byte[] BuildQuery(ushort id, string hostName, ushort type)
    {
        var name = new IdnMapping().GetAscii(hostName.TrimEnd('.'));
        var message = new List<byte>(name.Length + 18);
        message.AddRange([(byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
        foreach (var label in name.Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }

        message.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return [.. message];
    }

    /// <summary>The address records of an answer; NXDOMAIN and server failures become <see cref="SocketException"/>s.</summary>
    internal static List<IPAddress> ParseAnswer(byte[] message, ushort id, string hostName, ushort type)
    {
        try
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(message) != id || (message[2] & 0x80) == 0)
            {
                throw new SocketException((int)SocketError.NoData);
            }

            switch (message[3] & 0x0F)
            {
                case 0:
                    break;
                case 3:
                    throw new SocketException((int)SocketError.HostNotFound);
                default:
                    throw new SocketException((int)SocketError.TryAgain);
            }

            var questions = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4));
            var answers = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6));
            var offset = 12;
            for (var i = 0; i < questions; i++)
            {
                offset = SkipName(message, offset) + 4;
            }

            var result = new List<IPAddress>();
            for (var i = 0; i < answers; i++)
            {
                offset = SkipName(message, offset);
                var recordType = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset));
                var length = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset + 8));
                var data = message.AsSpan(offset + 10, length);
                if (recordType == type && ((type == TypeA && length == 4) || (type == TypeAaaa && length == 16)))
                {
                    result.Add(new IPAddress(data));
                }

                offset += 10 + length;
            }

            return result;
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new SocketException((int)SocketError.NoData, $"Malformed DNS answer for {hostName}");
        }
    }

    /// <summary>Skips a possibly compressed name (RFC 1035 §4.1.4); a pointer ends the name.</summary>
    private static int SkipName(byte[] message, int offset)
    {
        for (var labels = 0; labels < 128; labels++)
        {
            var length = message[offset];
            if (length == 0)
            {
                return offset + 1;
            }

            if ((length & 0xC0) == 0xC0)
            {
                return offset + 2;
            }

            offset += length + 1;
        }

        throw new SocketException((int)SocketError.NoData, "Too many labels in a DNS name.");
    }
}
