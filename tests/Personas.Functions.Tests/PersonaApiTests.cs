using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personas.TestPhotos;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests;

public sealed class PersonaApiTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);
    private readonly HttpClient _bob = host.Client(ApiHost.BobKey);

    internal static object NewPersona(string trigger, string mode = "portrait") => new
    {
        name = "Ann Example", triggerWord = trigger, mode,
        consent = new { facialRecognition = true, aiTraining = true, likenessUsage = true, dataRetention = true, restrictions = new { noCommercialUse = true } },
    };

    internal static async Task<string> CreateAsync(HttpClient client, string? trigger = null)
    {
        var response = await client.PostAsJsonAsync("/api/personas", NewPersona(trigger ?? "zqx" + Guid.NewGuid().ToString("N")[..8]));
        return (await Json(response, 201))["id"]!.GetValue<string>();
    }

    internal static MultipartFormDataContent Files(params (string Name, byte[] Bytes)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(part, "files", name);
        }
        return content;
    }

    [Fact]
    public async Task Creating_a_persona_records_full_consent_stamped_by_the_server()
    {
        var response = await _alice.PostAsJsonAsync("/api/personas", NewPersona("zqxann01"));
        var persona = await Json(response, 201);
        Assert.Equal($"/api/personas/{persona["id"]}", response.Headers.Location!.ToString());
        Assert.Equal("Draft", persona["status"]!.GetValue<string>());
        var consent = persona["consent"]!;
        Assert.True(consent["aiTraining"]!.GetValue<bool>());
        Assert.True(consent["restrictions"]!["noCommercialUse"]!.GetValue<bool>());
        Assert.NotNull(consent["grantedAt"]);
        Assert.Equal("127.0.0.1", consent["ipAddress"]!.GetValue<string>());
        Assert.True(persona["consentValid"]!.GetValue<bool>());

        var read = await Json(await _alice.GetAsync($"/api/personas/{persona["id"]}"), 200);
        Assert.Equal("zqxann01", read["triggerWord"]!.GetValue<string>());
        Assert.Contains(await Items(_alice, "/api/personas"),
            p => p!["id"]!.GetValue<string>() == persona["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ann smith")]
    [InlineData("<b>ann</b>")]
    [InlineData("ann😀")]
    [InlineData("person")]
    [InlineData("ab")]
    [InlineData("9lives")]
    public async Task Bad_trigger_words_are_refused_naming_the_field(string trigger)
    {
        var problem = await Problem(await _alice.PostAsJsonAsync("/api/personas", NewPersona(trigger)), 400, "triggerWord");
        Assert.Contains("trigger word", problem["errors"]!["triggerWord"]![0]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_persona_cannot_be_created_without_every_consent_and_every_problem_is_named_at_once()
    {
        var body = new { name = "", triggerWord = "zqxok", mode = "sideways", consent = new { facialRecognition = true, aiTraining = false } };
        var problem = await Problem(await _alice.PostAsJsonAsync("/api/personas", body), 400);
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("name", errors);
        Assert.Contains("mode", errors);
        Assert.Contains("consent.aiTraining", errors);
        Assert.Contains("consent.likenessUsage", errors);
        Assert.Contains("consent.dataRetention", errors);
        await Problem(await _alice.PostAsJsonAsync("/api/personas", new { name = "x", triggerWord = "zqxok", mode = "portrait" }), 400, "consent");
        await Problem(await _alice.PostAsync("/api/personas", new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json")), 400, "body");
    }

    [Fact]
    public async Task Trigger_words_are_unique_per_owner_only()
    {
        await CreateAsync(_alice, "zqxshared");
        await Problem(await _alice.PostAsJsonAsync("/api/personas", NewPersona("zqxshared")), 409, "triggerWord");
        await CreateAsync(_bob, "zqxshared");
    }

    [Fact]
    public async Task Another_owner_cannot_read_upload_to_or_withdraw_a_persona()
    {
        var id = await CreateAsync(_alice);
        await Problem(await _bob.GetAsync($"/api/personas/{id}"), 404, "personaId");
        await Problem(await _bob.PostAsync($"/api/personas/{id}/photos", Files(("a.jpg", Samples.Load("obama.jpg")))), 404, "personaId");
        await Problem(await _bob.PostAsJsonAsync($"/api/personas/{id}/consent/withdraw", new { reason = "mallory" }), 404);
        await Problem(await _bob.GetAsync($"/api/personas/{id}/photos"), 404);
        Assert.DoesNotContain(await Items(_bob, "/api/personas"), p => p!["id"]!.GetValue<string>() == id);
        Assert.True((await Json(await _alice.GetAsync($"/api/personas/{id}"), 200))["consentValid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Withdrawn_consent_refuses_further_photo_processing_with_403()
    {
        var id = await CreateAsync(_alice);
        var withdrawn = await Json(await _alice.PostAsJsonAsync($"/api/personas/{id}/consent/withdraw", new { reason = "changed my mind" }), 200);
        Assert.False(withdrawn["consentValid"]!.GetValue<bool>());
        Assert.Equal("changed my mind", withdrawn["consent"]!["withdrawnReason"]!.GetValue<string>());
        await Problem(await _alice.PostAsync($"/api/personas/{id}/photos", Files(("a.jpg", Samples.Load("obama.jpg")))), 403, "consent");
    }
}
