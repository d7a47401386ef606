using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using static Personas.Functions.Tests.HttpAssertions;

namespace Personas.Functions.Tests.OpenApi;

/// <summary>
/// The OpenAPI document against the live route table: every route with its methods, and back; anonymous exactly
/// where the route is; bodies, answers and problems declared. It fails on any route the document misses.
/// </summary>
public sealed class OpenApiRoutesTests(ApiHost host) : IClassFixture<ApiHost>
{
    private static readonly string[] Anonymous =
    [
        "POST /api/webhooks/fal", "POST /api/webhooks/replicate", "POST /api/webhooks/jobs",
        "GET /api/blobs/{path}", "GET /api/health/live", "GET /api/openapi.json",
    ];

    /// <summary>Routes that take no body: their input is the path, the query or a header.</summary>
    private static readonly string[] Bodiless =
    [
        "POST /api/personas/{personaId}/dataset", "POST /api/instances/{instanceId}/terminate",
        "POST /api/instances/{instanceId}/suspend", "POST /api/instances/{instanceId}/resume",
        "POST /api/personas/{personaId}/versions/{version}/activate",
        "POST /api/personas/{personaId}/versions/rollback",
    ];

    internal static async Task<JsonObject> DocumentAsync(HttpClient anonymous) =>
        await Json(await anonymous.GetAsync("/api/openapi.json"), 200);

    /// <summary>"METHOD /path" for each live endpoint, with the path as OpenAPI writes it.</summary>
    private List<(string Operation, Endpoint Endpoint)> LiveOperations() => host.App.Services
        .GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal))
        .SelectMany(e => Paths(e.RoutePattern).SelectMany(path =>
            (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(m => ($"{m} {path}", (Endpoint)e))))
        .ToList();

    /// <summary>The pattern's paths: an optional last parameter gives two (OpenAPI path parameters are required).
    /// </summary>
    private static IEnumerable<string> Paths(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            _ => "",
        }))).ToList();
        yield return "/" + string.Join('/', segments);
        if (pattern.PathSegments[^1].Parts is [RoutePatternParameterPart { IsOptional: true }])
            yield return "/" + string.Join('/', segments[..^1]);
    }

    private static List<(string Operation, JsonObject Body)> DocumentOperations(JsonObject doc) =>
        doc["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(op => ($"{op.Key.ToUpperInvariant()} {path.Key}", op.Value!.AsObject()))).ToList();

    [Fact]
    public async Task The_document_is_anonymous_and_says_openapi_3_1()
    {
        var doc = await DocumentAsync(host.Client(null));
        Assert.Equal("3.1", string.Join('.', doc["openapi"]!.GetValue<string>().Split('.')[..2]));
    }

    [Fact]
    public async Task Every_live_route_is_documented_with_its_method_and_back()
    {
        var live = LiveOperations().Select(o => o.Operation).ToHashSet();
        var documented = DocumentOperations(await DocumentAsync(host.Client(null))).Select(o => o.Operation)
            .ToHashSet();
        Assert.True(live.Count > 45, $"only {live.Count} live operations were found");
        Assert.Contains("POST /api/orchestrators/{name}", live);
        Assert.Empty(live.Except(documented));
        Assert.Empty(documented.Except(live));
    }

    [Fact]
    public async Task Security_is_per_route_anonymous_exactly_where_the_route_is()
    {
        var live = LiveOperations().ToDictionary(o => o.Operation, o => o.Endpoint);
        foreach (var (operation, body) in DocumentOperations(await DocumentAsync(host.Client(null))))
        {
            var anonymous = live[operation].Metadata.GetMetadata<IAllowAnonymous>() is not null;
            Assert.True(anonymous == Anonymous.Contains(operation), $"{operation}: anonymous is {anonymous}");
            var security = body["security"]?.AsArray();
            Assert.NotNull(security);
            if (anonymous) Assert.True(security.Count == 0, $"{operation} is anonymous but asks for a key");
            else Assert.True(security.Any(s => s!["ApiKey"] is not null), $"{operation} does not ask for ApiKey");
            if (!anonymous) Assert.True(body["responses"]!["401"] is not null, $"{operation} has no 401");
        }
    }

    [Fact]
    public async Task Every_operation_declares_its_body_its_success_and_its_problems()
    {
        var doc = await DocumentAsync(host.Client(null));
        var walker = new SchemaWalker(doc);
        foreach (var (operation, body) in DocumentOperations(doc))
        {
            var method = operation.Split(' ')[0];
            if (method is "POST" or "PUT" or "PATCH" && !Bodiless.Contains(operation))
                Assert.True(body["requestBody"]?["content"]?.AsObject().Count > 0, $"{operation} has no request body");
            var responses = body["responses"]!.AsObject();
            var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(success.Count > 0, $"{operation} has no success response");
            // An answer with a body says what it is: a schema with properties, a list, or a file.
            foreach (var (status, response) in success.Where(r => r.Key is not ("202" or "204")))
                Assert.True(response!["content"]?.AsObject().Count > 0, $"{operation} {status} has no content");
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var schema = response!["content"]?["application/problem+json"]?["schema"];
                Assert.True(schema is JsonObject, $"{operation} {status} is not problem+json");
                var problem = walker.Resolve(schema!.AsObject());
                Assert.True(problem["properties"]?["errors"] is not null, $"{operation} {status}: no errors field");
            }
            Assert.True(responses["500"] is not null, $"{operation} has no 500");
        }
    }

    [Fact]
    public async Task The_events_stream_is_text_event_stream_and_bodies_have_examples()
    {
        var doc = await DocumentAsync(host.Client(null));
        var events = doc["paths"]!["/api/personas/{personaId}/events"]!["get"]!["responses"]!["200"]!["content"]!;
        Assert.Equal(["text/event-stream"], events.AsObject().Select(c => c.Key));
        var walker = new SchemaWalker(doc);
        foreach (var (operation, body) in DocumentOperations(doc))
            if (body["requestBody"]?["content"]?["application/json"] is { } json
                && (json["schema"] is not JsonObject schema
                    || walker.Resolve(schema)["properties"]?.AsObject().Count > 0))
                Assert.True(json["example"] is not null, $"{operation} has no request example");
    }
}
