using System.Net;
using System.Net.Sockets;

namespace Personas.Api.Photos;

/// <summary>Whether an address is on the public internet: not loopback, private, link-local, shared, multicast or reserved.</summary>
public static class PublicAddress
{
    private static readonly (IPAddress Network, int Prefix)[] Blocked = new[]
    {
        ("0.0.0.0", 8), ("10.0.0.0", 8), ("100.64.0.0", 10), ("127.0.0.0", 8), ("169.254.0.0", 16), ("172.16.0.0", 12),
        ("192.0.0.0", 24), ("192.0.2.0", 24), ("192.88.99.0", 24), ("192.168.0.0", 16), ("198.18.0.0", 15), ("198.51.100.0", 24),
        ("203.0.113.0", 24), ("224.0.0.0", 4), ("240.0.0.0", 4),
        ("::", 128), ("::1", 128), ("64:ff9b::", 96), ("100::", 64), ("2001:db8::", 32), ("fc00::", 7), ("fe80::", 10), ("ff00::", 8),
    }.Select(b => (IPAddress.Parse(b.Item1), b.Item2)).ToArray();

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && (address.IsIPv6SiteLocal || address.IsIPv6LinkLocal || address.IsIPv6Multicast)) return false;
        return !Blocked.Any(b => b.Network.AddressFamily == address.AddressFamily && InNetwork(address, b.Network, b.Prefix));
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = (byte)(0x80 >> (bit % 8));
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask)) return false;
        }
        return true;
    }
}
