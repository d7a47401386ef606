using Personas.Api.Problems;
using static Personas.Functions.Tests.Hardening.Input.InputRequests;

namespace Personas.Functions.Tests.Hardening.Input;

/// <summary>A request with several bad fields hears about all of them in one answer, each named in detail too.</summary>
public sealed class RequestProblemsTests(ApiHost host) : IClassFixture<ApiHost>
{
    private readonly HttpClient _alice = host.Client(ApiHost.AliceKey);

    private static void AssertNamed(System.Text.Json.Nodes.JsonObject problem, params string[] fields)
    {
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(fields.Order(), errors.Select(e => e.Key).Order());
        foreach (var field in fields) Assert.Contains(field + ":", problem["detail"]!.GetValue<string>());
        Assert.Equal(ProblemWriter.InvalidTitle, problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Generation_reports_every_bad_field()
    {
        var body = """{"personaId":"","platform":"myspace","count":9,"blendStrength":"high","colour":"red"}""";
        var problem = await FieldProblemAsync(await SendAsync(_alice, "POST", "/api/generate-with-persona", body), "count");
        AssertNamed(problem, "colour", "personaId", "prompt", "platform", "count", "blendStrength");
    }

    [Fact]
    public async Task Training_reports_every_bad_field()
    {
        var id = await PersonaApiTests.CreateAsync(_alice);
        var body = """{"steps":5,"rank":500,"provider":"nobody","speed":1}""";
        var problem = await FieldProblemAsync(await SendAsync(_alice, "POST", $"/api/personas/{id}/train", body), "steps");
        AssertNamed(problem, "speed", "provider", "steps", "rank");
    }

    [Fact]
    public async Task Smart_posts_report_every_bad_field_including_settings_and_analysis()
    {
        var body = """
            {"projectTitle":"","contentAnalysis":{"sentiment":7,"mood":"x"},
             "settings":{"contentTypes":["poem"],"platforms":[],"creativity":3,"tone":"grumpy","usePersona":"yes"}}
            """;
        var problem = await FieldProblemAsync(await SendAsync(_alice, "POST", "/api/posts/generate-smart", body), "projectTitle");
        AssertNamed(problem, "projectTitle", "contentAnalysis.mood", "contentAnalysis.sentiment",
            "settings.contentTypes", "settings.platforms", "settings.creativity", "settings.tone", "settings.usePersona");
    }

    [Fact]
    public async Task One_bad_field_keeps_the_single_problem_shape_and_names_the_field_in_detail()
    {
        var problem = await FieldProblemAsync(
            await SendAsync(_alice, "POST", "/api/generate-with-persona", """{"personaId":"p","prompt":"a","platform":"myspace"}"""),
            "platform");
        Assert.Single(problem["errors"]!.AsObject());
        Assert.StartsWith("platform: must be one of", problem["detail"]!.GetValue<string>());
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.NotNull(problem["traceId"]);
    }

    [Fact]
    public async Task A_body_with_hundreds_of_bad_strings_names_a_bounded_number()
    {
        var items = string.Join(",", Enumerable.Repeat("\"\\ud800\"", 500));
        var response = await SendAsync(_alice, "POST", "/api/orchestrators/RuntimeDemo", $$"""{"sentences":[{{items}}]}""");
        var problem = await FieldProblemAsync(response, "sentences[0]");
        Assert.Equal(JsonTextRules.MaxProblems, problem["errors"]!.AsObject().Count);
    }
}
