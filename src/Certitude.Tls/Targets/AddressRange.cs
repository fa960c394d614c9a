using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Certitude.Tls.Targets;

/// <summary>
/// An inclusive range of addresses of one family (a single address, a CIDR block or "first-last"). Addresses are held
/// as 128-bit numbers so IPv4 and IPv6 share one arithmetic.
/// </summary>
public sealed record AddressRange
{
    private AddressRange(AddressFamily family, UInt128 first, UInt128 last)
    {
        Family = family;
        First = first;
        Last = last;
    }

    /// <summary>IPv4 (<see cref="AddressFamily.InterNetwork"/>) or IPv6 (<see cref="AddressFamily.InterNetworkV6"/>).</summary>
    public AddressFamily Family { get; }

    internal UInt128 First { get; }

    internal UInt128 Last { get; }

    /// <summary>How many addresses the range holds (saturated at <see cref="ulong.MaxValue"/> for huge IPv6 ranges).</summary>
    public ulong Count => Last - First >= ulong.MaxValue ? ulong.MaxValue : (ulong)(Last - First) + 1;

    /// <summary>The first address.</summary>
    public IPAddress FirstAddress => ToAddress(Family, First);

    /// <summary>The last address.</summary>
    public IPAddress LastAddress => ToAddress(Family, Last);

    /// <summary>A range of one address.</summary>
    public static AddressRange Of(IPAddress address)
    {
        address = Canonical(address);
        var value = ToNumber(address);
        return new AddressRange(address.AddressFamily, value, value);
    }

    /// <summary>The range from <paramref name="first"/> to <paramref name="last"/> inclusive (same family, first ≤ last).</summary>
    public static AddressRange Between(IPAddress first, IPAddress last)
    {
        first = Canonical(first);
        last = Canonical(last);
        if (first.AddressFamily != last.AddressFamily)
        {
            throw new ArgumentException("Both ends of a range must be of the same address family.");
        }

        var (a, b) = (ToNumber(first), ToNumber(last));
        return a <= b
            ? new AddressRange(first.AddressFamily, a, b)
            : throw new ArgumentException($"The range starts after it ends ({first} > {last}).");
    }

    /// <summary>The block <paramref name="network"/>/<paramref name="prefixLength"/>; host bits of the address are ignored.</summary>
    public static AddressRange Cidr(IPAddress network, int prefixLength)
    {
        network = Canonical(network);
        var bits = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength < 0 || prefixLength > bits)
        {
            throw new ArgumentException($"A prefix length must be between 0 and {bits}.");
        }

        var hostBits = bits - prefixLength;
        var hostMask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        var first = ToNumber(network) & ~hostMask;
        return new AddressRange(network.AddressFamily, first, first | hostMask);
    }

    /// <summary>The address <paramref name="index"/> places after the first (0: the first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range holds fewer addresses.</exception>
    public IPAddress AddressAt(ulong index) =>
        index <= Last - First ? ToAddress(Family, First + index) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Whether the range holds <paramref name="address"/>.</summary>
    public bool Contains(IPAddress address)
    {
        address = Canonical(address);
        if (address.AddressFamily != Family)
        {
            return false;
        }

        var value = ToNumber(address);
        return value >= First && value <= Last;
    }

    /// <summary>Whether every address of <paramref name="other"/> is in this range.</summary>
    public bool Covers(AddressRange other) => other.Family == Family && other.First >= First && other.Last <= Last;

    /// <summary>Every address, in order.</summary>
    public IEnumerable<IPAddress> Addresses()
    {
        for (var value = First; ; value++)
        {
            yield return ToAddress(Family, value);
            if (value == Last)
            {
                yield break;
            }
        }
    }

    /// <summary>CIDR notation when the range is one block, "first-last" otherwise, the address alone for one address.</summary>
    public override string ToString()
    {
        if (First == Last)
        {
            return FirstAddress.ToString();
        }

        var size = Last - First + 1;
        if (size != 0 && UInt128.IsPow2(size) && (First & (size - 1)) == 0)
        {
            var bits = Family == AddressFamily.InterNetwork ? 32 : 128;
            return $"{FirstAddress}/{bits - (int)UInt128.Log2(size)}";
        }

        return First == 0 && Last == UInt128.MaxValue ? "::/0" : $"{FirstAddress}-{LastAddress}";
    }

    internal static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        UInt128 value = 0;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

    internal static IPAddress ToAddress(AddressFamily family, UInt128 value)
    {
        if (family == AddressFamily.InterNetwork)
        {
            return new IPAddress(BitConverter.IsLittleEndian
                ? BinaryPrimitives.ReverseEndianness((uint)value)
                : (uint)value);
        }

        Span<byte> bytes = stackalloc byte[16];
        for (var i = 15; i >= 0; i--)
        {
            bytes[i] = (byte)value;
            value >>= 8;
        }

        return new IPAddress(bytes);
    }

    /// <summary>The address as ranges hold it: an IPv4-mapped IPv6 address (::ffff:10.0.0.1) is the IPv4 address it carries.</summary>
    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
