using System.Net;

namespace Personas.Api.Hosting;

/// <summary>The caller's address as a rate-limit partition: from the connection, or from a trusted proxy's header.
/// </summary>
internal static class ClientAddress
{
    public static string Of(HttpContext http, string forwardedHeader)
    {
        if (forwardedHeader.Length > 0
            && http.Request.Headers[forwardedHeader].LastOrDefault() is { Length: > 0 } forwarded
            && IPEndPoint.TryParse(forwarded.Split(',')[^1].Trim(), out var endpoint))
            return Partition(endpoint.Address);
        return http.Connection.RemoteIpAddress is { } remote ? Partition(remote) : "unknown";
    }

    /// <summary>
    /// IPv4 as is; IPv6 by its /64 prefix, since one subscriber usually holds a whole /64 and could otherwise take a
    /// fresh address per request.
    /// </summary>
    internal static string Partition(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
