using System.Net;
using System.Net.Sockets;
using Personas.Imaging.Preparation;

namespace Personas.Api.Photos;

/// <summary>
/// Fetches photos from callers' URLs without letting a URL reach inside our network (SSRF): https only; the host must
/// resolve only to public addresses, checked before each request and again at connect time on the exact address used
/// (so DNS rebinding gains nothing); redirects are followed by hand, at most 3, each checked the same way; time and size are capped.
/// </summary>
public sealed class PhotoDownloader(HttpMessageHandler handler, PhotoGates gates, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    public const int MaxRedirects = 3;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http = new(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? ((host, ct) => Dns.GetHostAddressesAsync(host, ct));

    /// <summary>The production handler: no automatic redirects, and every connection checked against the public-address rule.</summary>
    public static SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            if (addresses.Length == 0 || !addresses.All(PublicAddress.IsPublic))
                throw new NonPublicAddressException(context.DnsEndPoint.Host);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Downloads to <paramref name="path"/>; returns null on success, or the reason the URL was refused.</summary>
    public async Task<string?> DownloadAsync(string url, string path, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "This is not an absolute URL.";
        try
        {
            for (var hop = 0; hop <= MaxRedirects; hop++)
            {
                if (await RefusalAsync(uri, timeout.Token) is { } refusal) return refusal;
                using var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } next)
                {
                    uri = next.IsAbsoluteUri ? next : new Uri(uri, next);
                    continue;
                }
                if (!response.IsSuccessStatusCode) return $"The server answered {(int)response.StatusCode}.";
                if (response.Content.Headers.ContentLength > gates.MaxBytes) return $"The file is larger than {gates.MaxBytes / 1048576} MB.";
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
                await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    total += read;
                    if (total > gates.MaxBytes) return $"The file is larger than {gates.MaxBytes / 1048576} MB.";
                    await file.WriteAsync(buffer.AsMemory(0, read), timeout.Token);
                }
                return null;
            }
            return $"More than {MaxRedirects} redirects.";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"The download took longer than {Timeout.TotalSeconds:0} seconds.";
        }
        catch (HttpRequestException ex)
        {
            // Fixed texts: the exception's own message can name addresses and TLS details of networks we reach.
            return ex.InnerException is NonPublicAddressException refused ? refused.Message : ex.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => $"{uri.Host} does not resolve.",
                HttpRequestError.ConnectionError => $"{uri.Host} could not be reached.",
                HttpRequestError.SecureConnectionError => $"A secure connection to {uri.Host} could not be made.",
                _ => "The download failed.",
            };
        }
    }

    /// <summary>Why a URL may not be fetched, or null: https only, no credentials in it, and a host that is public.</summary>
    private async Task<string?> RefusalAsync(Uri uri, CancellationToken ct)
    {
        if (uri.Scheme != Uri.UriSchemeHttps) return $"Only https URLs are accepted ({uri.Scheme}:// is not).";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "URLs with credentials are not accepted.";
        if (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal))
            return PublicAddress.IsPublic(literal) ? null : $"{literal} is a private, loopback or link-local address.";
        IPAddress[] addresses;
        try { addresses = await _resolve(uri.IdnHost, ct); }
        catch (SocketException) { return $"{uri.Host} does not resolve."; }
        return addresses.Length > 0 && addresses.All(PublicAddress.IsPublic) ? null : $"{uri.Host} resolves to a private, loopback or link-local address.";
    }
}

/// <summary>The connection-time refusal: the host resolved to an address that is not public.</summary>
public sealed class NonPublicAddressException(string host)
    : IOException($"{host} resolves to an address that is not public.");
