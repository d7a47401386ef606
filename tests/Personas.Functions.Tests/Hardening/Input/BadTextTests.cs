using System.Text;
using static Personas.Functions.Tests.Hardening.Input.InputRequests;

namespace Personas.Functions.Tests.Hardening.Input;

/// <summary>
/// Every JSON text field the API reads, sent with text that cannot be valid: a lone UTF-16 surrogate, or a control
/// character. Each is a 400 naming that field (JSON path) in <c>errors</c> and <c>detail</c>, never a 500. The routes
/// name a persona, post or instance that does not exist: text is checked before anything is looked up.
/// </summary>
public sealed class BadTextTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    private const string Consent =
        """{"facialRecognition":true,"aiTraining":true,"likenessUsage":true,"dataRetention":true}""";
    private const string SettingsOpen = """{"contentTypes":["single"],"platforms":["linkedin"]""";
    private const string Settings = SettingsOpen + "}";
    private const string Smart = "/api/posts/generate-smart";
    private const string TitleAndTranscript = """{"projectTitle":"t","transcript":"t","settings":""";

    /// <summary>Method, path, body with X where the bad text goes, and the JSON path the answer must name.</summary>
    public static TheoryData<string, string, string, string> Fields => new()
    {
        { "POST", "/api/personas", $$"""{"name":X,"triggerWord":"zqxokay","mode":"portrait","consent":{{Consent}}}""", "name" },
        { "POST", "/api/personas", $$"""{"name":"Ann","triggerWord":X,"mode":"portrait","consent":{{Consent}}}""", "triggerWord" },
        { "POST", "/api/personas", $$"""{"name":"Ann","triggerWord":"zqxokay","mode":X,"consent":{{Consent}}}""", "mode" },
        { "POST", "/api/personas/per_missing/consent/withdraw", """{"reason":X}""", "reason" },
        { "POST", "/api/generate-with-persona", """{"personaId":X,"prompt":"a","platform":"instagram"}""", "personaId" },
        { "POST", "/api/generate-with-persona", """{"personaId":"p","prompt":X,"platform":"instagram"}""", "prompt" },
        { "POST", "/api/generate-with-persona", """{"personaId":"p","prompt":"a","platform":X}""", "platform" },
        { "POST", "/api/generate-with-persona", """{"personaId":"p","prompt":"a","platform":"instagram","usage":X}""", "usage" },
        { "POST", Smart, $$"""{"projectTitle":X,"transcript":"t","settings":{{Settings}}}""", "projectTitle" },
        { "POST", Smart, $$"""{"projectTitle":"t","transcript":X,"settings":{{Settings}}}""", "transcript" },
        { "POST", Smart, $$"""{"projectTitle":"t","contentAnalysis":{"moments":["ok",X]},"settings":{{Settings}}}""",
            "contentAnalysis.moments[1]" },
        { "POST", Smart, $$"""{"projectTitle":"t","contentAnalysis":{"keyTopics":[X]},"settings":{{Settings}}}""",
            "contentAnalysis.keyTopics[0]" },
        { "POST", Smart, $$"""{"projectTitle":"t","contentAnalysis":{"sentiment":X},"settings":{{Settings}}}""",
            "contentAnalysis.sentiment" },
        { "POST", Smart, """{"projectTitle":"t","transcript":"t","settings":{"contentTypes":[X],"platforms":["linkedin"]}}""",
            "settings.contentTypes[0]" },
        { "POST", Smart, TitleAndTranscript + SettingsOpen + ""","tone":X}}""",
            "settings.tone" },
        { "POST", Smart, TitleAndTranscript + SettingsOpen + ""","usePersona":true,"personaId":X}}""",
            "settings.personaId" },
        { "POST", "/api/personas/per_missing/train", """{"provider":X}""", "provider" },
        { "POST", "/api/personas/per_missing/photos/import", """{"urls":["https://example.com/a.jpg",X]}""", "urls[1]" },
        { "PATCH", "/api/posts/pst_missing", """{"caption":X}""", "caption" },
        { "PATCH", "/api/posts/pst_missing", """{"hook":X}""", "hook" },
        { "PATCH", "/api/posts/pst_missing", """{"cta":X}""", "cta" },
        { "PATCH", "/api/posts/pst_missing", """{"hashtags":[X]}""", "hashtags[0]" },
        { "POST", "/api/posts/pst_missing/regenerate", """{"feedback":X}""", "feedback" },
        { "POST", "/api/posts/pst_missing/reject", """{"reason":X}""", "reason" },
        { "POST", "/api/posts/bulk/reject", """{"ids":[X],"reason":"r"}""", "ids[0]" },
        { "PUT", "/api/brand-kit", """{"textColor":X}""", "textColor" },
        { "PUT", "/api/brand-kit", """{"font":X}""", "font" },
        { "PUT", "/api/brand-kit", """{"watermark":X}""", "watermark" },
        { "POST", "/api/orchestrators/RuntimeDemo", """{"sentences":[X]}""", "sentences[0]" },
        { "POST", "/api/instances/ins_missing/raiseEvent/Approval", """{"approver":X}""", "approver" },
        { "POST", "/api/instances/ins_missing/raiseEvent/Approval", "X", "body" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task A_lone_surrogate_is_a_400_naming_the_field(string method, string path, string body, string field)
    {
        var response = await SendAsync(_alice, method, path, body.Replace("X", "\"ok \\ud800\""));
        var problem = await FieldProblemAsync(response, field);
        Assert.Contains("Unicode", problem["errors"]![field]![0]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task A_low_surrogate_first_is_refused_as_well(string method, string path, string body, string field) =>
        await FieldProblemAsync(await SendAsync(_alice, method, path, body.Replace("X", "\"\\udc00\\ud83d\"")), field);

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task A_control_character_is_a_400_naming_the_field(string method, string path, string body, string field)
    {
        var response = await SendAsync(_alice, method, path, body.Replace("X", "\"bell\\u0007\""));
        var problem = await FieldProblemAsync(response, field);
        Assert.Contains("control characters", problem["errors"]![field]![0]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task A_c1_control_character_is_a_400_naming_the_field(string method, string path, string body, string field) =>
        await FieldProblemAsync(await SendAsync(_alice, method, path, body.Replace("X", "\"next\\u0085line\"")), field);

    [Fact]
    public async Task A_field_name_with_a_lone_surrogate_is_a_400_not_a_500()
    {
        var response = await SendAsync(_alice, "POST", "/api/generate-with-persona", """{"prompt":"a","\ud800":1}""");
        await FieldProblemAsync(response, "body");
    }

    [Fact]
    public async Task Raw_bytes_that_are_not_utf8_are_a_400_not_a_500()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"personaId":"p","prompt":"a~","platform":"instagram"}""");
        bytes[Array.IndexOf(bytes, (byte)'~')] = 0xFF; // never valid in UTF-8
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var response = await _alice.PostAsync("/api/generate-with-persona", content);
        var problem = await HttpAssertions.Problem(response, 400);
        Assert.NotNull(problem["errors"]);
    }

    [Theory]
    [InlineData("terminate")]
    [InlineData("suspend")]
    [InlineData("resume")]
    public async Task A_control_character_in_a_query_reason_is_a_400(string action)
    {
        var response = await _alice.PostAsync($"/api/instances/ins_missing/{action}?reason=stop%00now", null);
        await FieldProblemAsync(response, "reason");
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var body = """{"personaId":"p\u0000","prompt":"ok\ud800","platform":"insta\u001bgram","usage":"personal"}""";
        var problem = await FieldProblemAsync(await SendAsync(_alice, "POST", "/api/generate-with-persona", body), "personaId");
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["personaId", "prompt", "platform"], errors.Select(e => e.Key).ToArray());
        Assert.Contains("prompt:", problem["detail"]!.GetValue<string>());
        Assert.Contains("platform:", problem["detail"]!.GetValue<string>());
    }
}
