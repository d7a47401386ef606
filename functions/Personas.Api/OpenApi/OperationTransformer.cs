using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Personas.Api.Auth;
using Personas.Api.Hosting;
using Personas.Api.Instances;
using Personas.Api.Photos;

namespace Personas.Api.OpenApi;

/// <summary>
/// What every operation shares and routes do not declare one by one: its security (anonymous routes say so), the
/// problems the pipeline itself answers (401 without a key, 429 past a limit, 413/415 for a JSON body, 500), one
/// problem schema for every error, and the request examples.
/// </summary>
internal sealed class OperationTransformer : IOpenApiOperationTransformer
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Routes that read the Idempotency-Key header.</summary>
    private static readonly HashSet<string> IdempotentRoutes = new(StringComparer.Ordinal)
    {
        "StartOrchestration", "RaiseEvent", "PrepareDataset", "TrainPersona", "GenerateWithPersona",
        "GenerateSmartPosts", "RegeneratePost", "Post-publish-now", "ChatWithPersona",
    };

    /// <summary>Routes that also take no body at all (every field has a default).</summary>
    private static readonly HashSet<string> OptionalBodies = new(StringComparer.Ordinal)
    {
        "WithdrawConsent", "TrainPersona", "CancelTraining", "Post-approve", "Post-reject", "Post-unschedule",
        "Post-publish-now", "StartOrchestration", "RaiseEvent",
    };

    /// <summary>The type's schema, once in components, referred to from each operation that uses it.</summary>
    private static async Task<IOpenApiSchema> ReferenceAsync(OpenApiOperationTransformerContext context, Type type,
        CancellationToken ct)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(type.Name))
            document.Components.Schemas[type.Name] = await context.GetOrCreateSchemaAsync(type, null, ct);
        return new OpenApiSchemaReference(type.Name, document);
    }

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var name = metadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        operation.Security = anonymous ? [] :
        [
            new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
            },
        ];
        if (metadata.OfType<DocumentedBody>().FirstOrDefault() is { } documented)
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = name is null || !OptionalBodies.Contains(name),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [documented.ContentType] = new()
                    {
                        Schema = await ReferenceAsync(context, documented.Type, cancellationToken),
                    },
                },
            };
        operation.Responses ??= [];
        var problems = new List<int> { 500 };
        if (!anonymous) problems.Add(401);
        if (name is null || !RateLimits.HealthEndpoints.Contains(name)) problems.Add(429);
        if (operation.RequestBody?.Content?.ContainsKey("application/json") == true) problems.AddRange([400, 413, 415]);
        foreach (var status in problems)
            if (!operation.Responses.ContainsKey(status.ToString()))
                operation.Responses[status.ToString()] = new OpenApiResponse
                {
                    Description = ApiProblem.Describe(status), Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ProblemJson] = new(),
                    },
                };

        var problemSchema = await ReferenceAsync(context, typeof(ApiProblem), cancellationToken);
        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete) continue;
            if (string.IsNullOrEmpty(concrete.Description) && int.TryParse(status, out var code))
                concrete.Description = ApiProblem.Describe(code);
            if (concrete.Content?.TryGetValue(ProblemJson, out var media) != true) continue;
            media!.Schema = problemSchema;
            media.Example ??= ApiProblem.Example(int.TryParse(status, out var s) ? s : 400, name);
        }
        if (name is not null && IdempotentRoutes.Contains(name))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotentStart.Header, In = ParameterLocation.Header, Required = false,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = "Makes a retried request count once: a repeat with the same key replays the first "
                    + "answer (Idempotent-Replayed: true); the key with another request is a 422.",
            });
        }
        if (name is not null && Examples.Request(name) is { } example
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            body!.Example = example;
    }
}

/// <summary>
/// An RFC 9457 problem as this API writes it: <c>errors</c> names each field at fault with its reasons, and
/// <c>traceId</c> is the id to quote when reporting it. A photo upload that accepted nothing adds each photo's
/// result in <c>photos</c>; a refused prompt, caption or message adds its <c>rating</c>.
/// </summary>
public sealed record ApiProblem
{
    public string? Type { get; init; }
    public required string Title { get; init; }
    public required int Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
    public string? TraceId { get; init; }
    public IReadOnlyList<IntakeResult>? Photos { get; init; }
    /// <summary>The content rating that refused a prompt, caption or message (422).</summary>
    public Domain.Rating.ContentRating? Rating { get; init; }

    public static string Describe(int status) => status switch
    {
        200 => "OK", 201 => "Created", 202 => "Accepted; the work goes on in the background.",
        400 => "The request is not valid; errors names each field.",
        401 => "No API key, or not a valid one (X-Api-Key).",
        402 => "The work would exceed the budget.",
        403 => "Consent does not allow this.",
        404 => "Not found for this caller.",
        409 => "Not allowed in the current state.",
        410 => "The instance has finished.",
        413 => "The request body is too large.",
        415 => "Send the body as application/json (photos: multipart/form-data).",
        422 => "The request cannot be processed as sent (an Idempotency-Key reused with another request, or no "
            + "photo accepted).",
        429 => "Too many requests; retry after the Retry-After header.",
        500 => "Something went wrong on our side; quote the traceId.",
        501 => "Not available on this host's backend.",
        503 => "A dependency is not available; retry later.",
        _ => "See the problem's detail.",
    };

    public static JsonNode Example(int status, string? operation) => new JsonObject
    {
        ["type"] = $"https://tools.ietf.org/html/rfc9110#section-15.{(status < 500 ? 5 : 6)}",
        ["title"] = status == 400 ? "The request is not valid" : Describe(status),
        ["status"] = status,
        ["detail"] = status == 400 ? "name: is required." : Describe(status),
        ["instance"] = "/api/personas",
        ["errors"] = status == 400 ? new JsonObject { ["name"] = new JsonArray("is required.") } : null,
        ["traceId"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    };
}
