using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Personas.Api.Problems;
using Personas.TestPhotos;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.Hardening.Input;

/// <summary>Problem details carry our own words: never libvips' text, exception messages or paths on disk.</summary>
public sealed class LeakTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    [Fact]
    public async Task A_truncated_jpeg_gets_our_reason_without_libvips_text_or_paths()
    {
        var id = await PersonaApiTests.CreateAsync(_alice);
        var jpeg = Samples.Load("obama.jpg");
        var files = PersonaApiTests.Files(("cut.jpg", jpeg[..(jpeg.Length / 2)]));
        var response = await _alice.PostAsync($"/api/personas/{id}/photos", files);
        var text = await response.Content.ReadAsStringAsync();
        var problem = await Problem(response, 422);
        var reason = problem["errors"]!["files[0]"]![0]!.GetValue<string>();
        Assert.Equal("cut.jpg: The image could not be decoded: it may be truncated or corrupt.", reason);
        var internalTexts = new[] { "jpeg", "vips", "VipsJpeg", "Premature", host.DataDir, Path.GetTempPath(), "/tmp" };
        foreach (var internalText in internalTexts)
            Assert.DoesNotContain(internalText, text.Replace("cut.jpg", ""), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_multipart_part_whose_headers_break_the_limit_gets_a_stable_reason()
    {
        var id = await PersonaApiTests.CreateAsync(_alice);
        var body = "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\nX-Pad: "
            + new string('a', 20_000) + "\r\n\r\nx\r\n--b--\r\n";
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        var problem = await Problem(await _alice.PostAsync($"/api/personas/{id}/photos", content), 400, "body");
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("too long or do not follow the multipart format", detail);
        Assert.DoesNotContain("16384", detail); // the reader's own wording names its limit
    }

    [Fact]
    public async Task A_malformed_multipart_content_type_is_a_400_not_a_500()
    {
        var id = await PersonaApiTests.CreateAsync(_alice);
        var content = new ByteArrayContent("x"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=\"unclosed");
        await Problem(await _alice.PostAsync($"/api/personas/{id}/photos", content), 400);
    }

    private static async Task<string> Handle(Exception exception)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        Assert.True(await new ExceptionProblems(NullLogger<ExceptionProblems>.Instance)
            .TryHandleAsync(context, exception, CancellationToken.None));
        context.Response.Body.Position = 0;
        return await new StreamReader(context.Response.Body).ReadToEndAsync();
    }

    [Fact]
    public async Task Backend_and_kestrel_texts_stay_in_the_log()
    {
        var conflict = await Handle(new RpcException(new Status(StatusCode.FailedPrecondition,
            "orchestration 'x' in /var/lib/personas/durable.db is Running")));
        Assert.DoesNotContain("/var/lib", conflict);
        Assert.Equal(409, JsonNode.Parse(conflict)!["status"]!.GetValue<int>());
        var bad = await Handle(
            new BadHttpRequestException("Unexpected end of request content at Kestrel.Core.Internal", 400));
        Assert.DoesNotContain("Kestrel", bad);
        Assert.Contains("could not be read", JsonNode.Parse(bad)!["detail"]!.GetValue<string>());
    }
}
