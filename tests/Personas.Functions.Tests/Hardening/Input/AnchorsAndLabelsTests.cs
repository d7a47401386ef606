using System.Net.Http.Json;
using Personas.Api.Instances;
using Personas.Api.Problems;
using Personas.Domain.Personas;
using static Personas.Functions.Tests.HttpAssertions;
using static Personas.Functions.Tests.Hardening.Input.InputRequests;

namespace Personas.Functions.Tests.Hardening.Input;

/// <summary>
/// Shapes that must not accept a trailing line feed, labels that must not hide bidi or zero-width characters, and
/// free text that keeps its line breaks.
/// </summary>
public sealed class AnchorsAndLabelsTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    private static string PersonaJson(string name, string trigger) => System.Text.Json.JsonSerializer.Serialize(new
    {
        name, triggerWord = trigger, mode = "portrait",
        consent = new { facialRecognition = true, aiTraining = true, likenessUsage = true, dataRetention = true },
    });

    [Theory]
    [InlineData("zqxnl\n")]
    [InlineData("zqxnl\r\n")]
    [InlineData("\nzqxnl")]
    public void Trigger_words_with_a_line_break_are_refused_by_their_own_rule(string word)
    {
        Assert.Null(TriggerWords.Problem("zqxnl"));
        Assert.NotNull(TriggerWords.Problem(word));
    }

    [Fact]
    public void Instance_ids_event_names_and_idempotency_keys_refuse_a_trailing_line_feed()
    {
        Assert.Matches(InstanceRequests.InstanceId(), "abc");
        Assert.DoesNotMatch(InstanceRequests.InstanceId(), "abc\n");
        Assert.DoesNotMatch(InstanceRequests.EventName(), "Approval\n");
        Assert.DoesNotMatch(InstanceRequests.IdempotencyKey(), "key-1\n");
    }

    [Fact]
    public async Task A_trigger_word_ending_in_a_line_feed_is_a_400_naming_it()
    {
        var response = await SendAsync(_alice, "POST", "/api/personas", PersonaJson("Ann", "zqxnl\n"));
        await FieldProblemAsync(response, "triggerWord");
    }

    [Fact]
    public async Task A_colour_ending_in_a_line_feed_is_a_400_naming_it()
    {
        await FieldProblemAsync(await SendAsync(_alice, "PUT", "/api/brand-kit", """{"textColor":"#ffffff\n"}"""), "textColor");
        Assert.Equal(200, (int)(await SendAsync(_alice, "PUT", "/api/brand-kit", """{"textColor":"#ffffff"}""")).StatusCode);
    }

    [Fact]
    public async Task An_instance_id_ending_in_a_line_feed_is_a_400_naming_it()
    {
        var response = await SendAsync(_alice, "POST", "/api/orchestrators/RuntimeDemo/demo-1%0A", """{"sentences":["one"]}""");
        await FieldProblemAsync(response, "instanceId");
    }

    [Fact]
    public async Task Bidi_and_zero_width_characters_are_stripped_from_persona_names()
    {
        // Precomposed é: the repo runs with InvariantGlobalization, where .NET's NFC leaves text as it is.
        var name = "Zo\u00e9\u202E\u200B Example\u2066\u200D\uFEFF\u061C";
        var created = await Json(await SendAsync(_alice, "POST", "/api/personas", PersonaJson(name, Trigger())), 201);
        Assert.Equal("Zo\u00e9 Example", created["name"]!.GetValue<string>());
        var stored = await Json(await _alice.GetAsync($"/api/personas/{created["id"]}"), 200);
        Assert.Equal("Zo\u00e9 Example", stored["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_name_of_only_invisible_characters_is_a_400()
    {
        var response = await SendAsync(_alice, "POST", "/api/personas", PersonaJson("\u202E\u200B\u2060", Trigger()));
        await FieldProblemAsync(response, "name");
    }

    [Fact]
    public async Task Names_refuse_line_breaks_while_free_text_keeps_them()
    {
        await FieldProblemAsync(await SendAsync(_alice, "POST", "/api/personas", PersonaJson("Ann\nExample", Trigger())), "name");
        // A prompt may span lines: it passes the text rules, and the answer is about the missing persona.
        var prompt = await SendAsync(_alice, "POST", "/api/generate-with-persona",
            """{"personaId":"per_missing","prompt":"line one\n\tline two\r\n","platform":"instagram"}""");
        Assert.Equal(404, (int)prompt.StatusCode);
    }

    [Fact]
    public void Display_text_keeps_right_to_left_letters_and_drops_only_the_invisible_controls()
    {
        Assert.Equal("\u05E9\u05DC\u05D5\u05DD abc", DisplayText.Clean("\u200F\u05E9\u05DC\u05D5\u05DD\u200E abc\u202C"));
        Assert.Equal("ok", DisplayText.Clean("o\ud800k"));
    }

    [Fact]
    public async Task An_uploaded_file_name_loses_its_right_to_left_override()
    {
        var id = await PersonaApiTests.CreateAsync(_alice);
        var body = "--b\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''photo%E2%80%AEgpj.exe%E2%80%8B\r\n"
            + "Content-Type: image/jpeg\r\n\r\nnot a photo at all\r\n--b--\r\n";
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        var problem = await Problem(await _alice.PostAsync($"/api/personas/{id}/photos", content), 422);
        Assert.Equal("photogpj.exe", problem["photos"]![0]!["fileName"]!.GetValue<string>());
    }

    private static string Trigger() => "zqx" + Guid.NewGuid().ToString("N")[..8];
}
