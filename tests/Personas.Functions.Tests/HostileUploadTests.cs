using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Personas.TestPhotos;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.PersonaApiTests;

namespace Personas.Functions.Tests;

/// <summary>Uploads built to break the parser: each gets a 4xx problem, nothing is stored, and the host stays up.</summary>
public sealed class HostileUploadTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    private static HttpContent Raw(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    [Theory]
    [InlineData("this is not multipart at all", "multipart/form-data; boundary=xyz")]
    [InlineData("--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\n\r\nunterminated", "multipart/form-data; boundary=xyz")]
    [InlineData("--xyz\r\n\r\n", "multipart/form-data")]
    [InlineData("--xyz\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--xyz--\r\n", "multipart/form-data; boundary=xyz")]
    public async Task Malformed_multipart_bodies_are_400_problems(string body, string contentType)
    {
        var id = await CreateAsync(_alice);
        var response = await _alice.PostAsync($"/api/personas/{id}/photos", Raw(body, contentType));
        var problem = await Problem(response, 400);
        Assert.NotNull(problem["errors"]);
        Assert.Equal(HttpStatusCode.OK, (await _alice.GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task Gif_bmp_svg_and_oversized_files_are_each_refused_by_content_and_size()
    {
        var id = await CreateAsync(_alice);
        var files = Files(
            ("anim.gif", Encoding.ASCII.GetBytes("GIF89a").Concat(new byte[20_000]).ToArray()),
            ("old.bmp", Encoding.ASCII.GetBytes("BM").Concat(new byte[20_000]).ToArray()),
            ("vector.jpg", Encoding.UTF8.GetBytes("<svg xmlns='http://www.w3.org/2000/svg'>" + new string(' ', 20_000) + "</svg>")),
            ("huge.jpg", Samples.Load("obama.jpg").Concat(new byte[16 * 1024 * 1024]).ToArray()));
        var problem = await Problem(await _alice.PostAsync($"/api/personas/{id}/photos", files), 422);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("not a JPEG", errors["files[0]"]![0]!.GetValue<string>());
        Assert.Contains("not a JPEG", errors["files[1]"]![0]!.GetValue<string>());
        Assert.Contains("not a JPEG", errors["files[2]"]![0]!.GetValue<string>());
        Assert.Contains("larger than 15 MB", errors["files[3]"]![0]!.GetValue<string>());
    }
}
