using System.Net;
using System.Net.Http.Json;
using Personas.Api.Photos;
using Personas.Imaging.Preparation;
using Personas.TestPhotos;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests;

public sealed class UrlImportTests(ApiHost host) : IClassFixture<ApiHost>
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.5.4", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:4700::1111", true)]
    public void Only_public_addresses_are_public(string address, bool expected) =>
        Assert.Equal(expected, PublicAddress.IsPublic(IPAddress.Parse(address)));

    /// <summary>Answers requests from a script of responses and records what was asked: the HTTP seam of the downloader.</summary>
    private sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] responses) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(responses[Math.Min(Requests.Count - 1, responses.Length - 1)](request));
        }
    }

    private static HttpResponseMessage Redirect(string to) => new(HttpStatusCode.Found) { Headers = { Location = new Uri(to) } };

    private static PhotoDownloader Downloader(ScriptedHandler handler) =>
        new(handler, new PhotoGates { MaxBytes = 1_000_000 }, (host, _) => Task.FromResult(host switch
        {
            "photos.example" or "cdn.example" => new[] { IPAddress.Parse("93.184.216.34") },
            "internal.example" => [IPAddress.Parse("10.0.0.5")],
            "localhost" => [IPAddress.Loopback],
            _ => throw new System.Net.Sockets.SocketException(11001),
        }));

    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"dl-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("https://127.0.0.1/a.jpg", "private")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "link-local")]
    [InlineData("https://[::1]/a.jpg", "loopback")]
    [InlineData("https://localhost/a.jpg", "resolves to a private")]
    [InlineData("https://internal.example/a.jpg", "resolves to a private")]
    [InlineData("http://photos.example/a.jpg", "Only https")]
    [InlineData("https://user:pw@photos.example/a.jpg", "credentials")]
    [InlineData("file:///etc/passwd", "Only https")]
    public async Task Internal_or_insecure_urls_are_refused_without_a_request(string url, string reason)
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var refusal = await Downloader(handler).DownloadAsync(url, TempFile(), CancellationToken.None);
        Assert.Contains(reason, refusal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://127.0.0.1/admin")]
    [InlineData("https://internal.example/secret.jpg")]
    [InlineData("http://cdn.example/a.jpg")]
    public async Task A_redirect_to_an_internal_or_insecure_url_is_refused_before_it_is_followed(string target)
    {
        var handler = new ScriptedHandler(_ => Redirect(target));
        var refusal = await Downloader(handler).DownloadAsync("https://photos.example/a.jpg", TempFile(), CancellationToken.None);
        Assert.NotNull(refusal);
        Assert.Equal([new Uri("https://photos.example/a.jpg")], handler.Requests);
    }

    [Fact]
    public async Task Redirects_are_followed_at_most_three_times_and_the_size_is_capped()
    {
        var loop = new ScriptedHandler(_ => Redirect("https://cdn.example/next.jpg"));
        Assert.Contains("redirects", await Downloader(loop).DownloadAsync("https://photos.example/a.jpg", TempFile(), CancellationToken.None));
        Assert.Equal(4, loop.Requests.Count);

        var huge = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[1_500_000]) });
        Assert.Contains("larger", await Downloader(huge).DownloadAsync("https://photos.example/a.jpg", TempFile(), CancellationToken.None));
    }

    [Fact]
    public async Task A_public_https_photo_behind_one_redirect_downloads()
    {
        var jpeg = Samples.Load("obama.jpg");
        var handler = new ScriptedHandler(_ => Redirect("https://cdn.example/obama.jpg"), _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(jpeg) });
        var path = TempFile();
        Assert.Null(await Downloader(handler).DownloadAsync("https://photos.example/obama.jpg", path, CancellationToken.None));
        Assert.Equal(jpeg, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task The_connection_itself_refuses_a_non_public_address_whatever_was_checked_before()
    {
        using var client = new HttpClient(PhotoDownloader.CreateHandler());
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://localhost:9/a.jpg"));
        Assert.Contains("not public", error.ToString());
    }

    [Fact]
    public async Task Importing_internal_urls_through_the_api_names_each_and_stores_nothing()
    {
        var alice = host.Client(ApiHost.AliceKey);
        var id = await PersonaApiTests.CreateAsync(alice);
        var problem = await Problem(await alice.PostAsJsonAsync($"/api/personas/{id}/photos/import",
            new { urls = new[] { "https://127.0.0.1/me.jpg", "https://169.254.169.254/latest/meta-data/iam", "http://example.com/me.jpg" } }), 422);
        Assert.Contains("127.0.0.1", problem["errors"]!["files[0]"]![0]!.GetValue<string>());
        Assert.Contains("169.254.169.254", problem["errors"]!["files[1]"]![0]!.GetValue<string>());
        Assert.Contains("https", problem["errors"]!["files[2]"]![0]!.GetValue<string>());
        Assert.Empty(await Items(alice, $"/api/personas/{id}/photos"));
        await Problem(await alice.PostAsJsonAsync($"/api/personas/{id}/photos/import", new { urls = Array.Empty<string>() }), 400, "urls");
        await Problem(await alice.PostAsJsonAsync($"/api/personas/{id}/photos/import", new { urls = "https://x" }), 400, "urls");
        await Problem(await alice.PostAsJsonAsync($"/api/personas/{id}/photos/import", new { urls = Enumerable.Repeat("https://photos.example/a.jpg", 30) }), 400, "urls");
    }
}
