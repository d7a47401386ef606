using System.Net.Http.Headers;

namespace Personas.Trainer.Dataset;

/// <summary>Fetches the dataset zip to a file, refusing more than the cap (announced or actually sent).</summary>
public sealed class DatasetDownloader(HttpClient http, long maxBytes)
{
    /// <exception cref="DatasetException">The link answered an error, or the zip is too large.</exception>
    public async Task DownloadAsync(Uri url, string destination, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/zip"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            throw new DatasetException($"The dataset link {AgentLog.Safe(url)} answered {(int)response.StatusCode}.");
        if (response.Content.Headers.ContentLength > maxBytes)
            throw new DatasetException($"The dataset zip is {response.Content.Headers.ContentLength} bytes; " +
                $"the limit is {maxBytes}.");
        await using var source = await response.Content.ReadAsStreamAsync(ct);
        await using var target = new FileStream(destination, FileMode.Create, FileAccess.Write);
        await BoundedCopy.CopyAsync(source, target, maxBytes, "The dataset zip", ct);
    }
}
