using System.Net;
using System.Web;
using Personas.Azure.Blobs;
using Personas.Domain.Blobs;

namespace Personas.Azure.Tests.Blobs;

/// <summary>
/// What a provider download link allows and refuses, checked with a plain HTTP client against Azurite. The checks that
/// need Azurite to verify a signature are protected methods, so each kind of SAS declares them with its own fact
/// attribute; the rest are facts here.
/// </summary>
public abstract class SasLinkContract
{
    protected abstract AzureBlobStore Store { get; }

    protected abstract HttpClient Http { get; }

    protected abstract BlobSasLinks Links(TimeProvider clock);

    protected async Task A_link_reads_its_blob_with_no_other_credentialCore()
    {
        var bytes = new byte[70_000];
        new Random(9).NextBytes(bytes);
        await Store.PutAsync("datasets/p1/v1.zip", new MemoryStream(bytes));

        var link = Links(TimeProvider.System).Blob("datasets/p1/v1.zip", TimeSpan.FromMinutes(10));
        using var response = await Http.GetAsync(link);

        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    protected async Task A_link_cannot_write_or_deleteCore()
    {
        await Store.PutAsync("datasets/p2/v1.zip", new MemoryStream([1, 2, 3]));
        var link = Links(TimeProvider.System).Blob("datasets/p2/v1.zip", TimeSpan.FromMinutes(10));

        using var put = new HttpRequestMessage(HttpMethod.Put, link) { Content = new ByteArrayContent([6, 6, 6]) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var putResponse = await Http.SendAsync(put);
        using var deleteResponse = await Http.DeleteAsync(link);

        Assert.Equal(HttpStatusCode.Forbidden, putResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deleteResponse.StatusCode);
        Assert.Equal([1, 2, 3], await Store.ReadAllBytesAsync("datasets/p2/v1.zip"));
    }

    protected async Task An_expired_link_is_refusedCore()
    {
        await Store.PutAsync("datasets/p3/v1.zip", new MemoryStream([1]));
        // Signed two hours ago for one hour: it expired an hour ago, with no waiting in the test.
        var past = new TestClock(DateTimeOffset.UtcNow.AddHours(-2));

        var link = Links(past).Blob("datasets/p3/v1.zip", TimeSpan.FromHours(1));
        using var response = await Http.GetAsync(link);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    protected async Task A_link_does_not_open_another_blobCore()
    {
        await Store.PutAsync("datasets/p4/mine.zip", new MemoryStream([1]));
        await Store.PutAsync("datasets/p4/other.zip", new MemoryStream([2]));
        var link = Links(TimeProvider.System).Blob("datasets/p4/mine.zip", TimeSpan.FromMinutes(10));

        var moved = new UriBuilder(link) { Path = link.AbsolutePath.Replace("mine.zip", "other.zip") }.Uri;
        using var response = await Http.GetAsync(moved);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public void A_lifetime_beyond_a_day_is_cut_to_a_day()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);

        var link = Links(clock).Blob("datasets/p5/v1.zip", TimeSpan.FromDays(30));

        var expiresOn = DateTimeOffset.Parse(HttpUtility.ParseQueryString(link.Query)["se"]!);
        Assert.Equal(clock.Now + BlobSasLinks.MaxLifetime, expiresOn, TimeSpan.FromSeconds(1));
        Assert.Equal("r", HttpUtility.ParseQueryString(link.Query)["sp"]);
    }

    [Fact]
    public void Bad_paths_and_lifetimes_are_refused()
    {
        var links = Links(TimeProvider.System);

        Assert.Throws<ArgumentException>(() => links.Blob("../secrets", TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => links.Blob("a/b", TimeSpan.Zero));
    }
}
